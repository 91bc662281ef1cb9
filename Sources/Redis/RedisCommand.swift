public import NIOCore

/// A Redis command: a name and its arguments, sent as a RESP array of bulk strings.
public struct RedisCommand: Sendable, Hashable {
    /// The command name, e.g. `"INCR"`.
    public let name: String
    /// The arguments after the name, as raw bytes.
    public let arguments: [ByteBuffer]

    /// Creates a command from text arguments.
    /// - Parameters:
    ///   - name: The command name, e.g. `"SET"`.
    ///   - arguments: The arguments, encoded as UTF-8.
    public init(_ name: String, _ arguments: [String]) {
        self.init(name, arguments: arguments.map { ByteBuffer(string: $0) })
    }

    /// Creates a command from text arguments.
    /// - Parameters:
    ///   - name: The command name, e.g. `"GET"`.
    ///   - arguments: The arguments, encoded as UTF-8.
    public init(_ name: String, _ arguments: String...) {
        self.init(name, arguments)
    }

    /// Creates a command from binary arguments.
    /// - Parameters:
    ///   - name: The command name, e.g. `"PUBLISH"`.
    ///   - arguments: The arguments as raw bytes.
    public init(_ name: String, arguments: [ByteBuffer]) {
        self.name = name
        self.arguments = arguments
    }
}

extension RedisCommand {
    /// Appends the command to `buffer` as a RESP array: `*N\r\n` then `$len\r\n<bytes>\r\n` per part.
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "*"))
        buffer.writeDecimal(self.arguments.count + 1)
        buffer.writeCRLF()
        let nameLength = self.name.utf8.count
        buffer.writeInteger(UInt8(ascii: "$"))
        buffer.writeDecimal(nameLength)
        buffer.writeCRLF()
        buffer.writeString(self.name)
        buffer.writeCRLF()
        for argument in self.arguments {
            buffer.writeInteger(UInt8(ascii: "$"))
            buffer.writeDecimal(argument.readableBytes)
            buffer.writeCRLF()
            buffer.writeImmutableBuffer(argument)
            buffer.writeCRLF()
        }
    }

    /// An upper estimate of the encoded size, used to size the write buffer once.
    var estimatedEncodedSize: Int {
        var size = 16 + self.name.utf8.count
        for argument in self.arguments {
            size += 16 + argument.readableBytes
        }
        return size
    }

    /// Encodes a batch of commands into one buffer.
    static func encode(_ commands: some Collection<RedisCommand>, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: commands.reduce(0) { $0 + $1.estimatedEncodedSize })
        for command in commands {
            command.encode(into: &buffer)
        }
        return buffer
    }
}

extension ByteBuffer {
    /// Writes a non-negative integer as ASCII decimal digits without allocating a String.
    fileprivate mutating func writeDecimal(_ value: Int) {
        precondition(value >= 0, "RESP lengths are never negative")
        if value < 10 {
            self.writeInteger(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { storage in
            while remaining > 0 {
                storage[23 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            self.writeBytes(UnsafeRawBufferPointer(rebasing: storage[(24 - count)...]))
        }
    }

    /// Writes the RESP line terminator.
    fileprivate mutating func writeCRLF() {
        self.writeInteger(UInt16(0x0D0A))
    }
}
