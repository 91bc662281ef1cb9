import ChatBridge
import Testing

/// The JOIN and send limiter as a pure value: instants are passed in, no clock is read (IRC-J3, IRC-S3).
struct TokenBucketTests {
    /// A fixed origin; every instant in these tests is an offset from it.
    let origin = ContinuousClock.now

    @Test func allowsCapacityPerPeriodThenWaitsIRCJ3() {
        var bucket = TokenBucket(capacity: 20, period: .seconds(10))
        #expect(bucket.available(at: origin) == 20)
        for _ in 0..<20 {
            let taken1 = bucket.take(at: origin)
            #expect(taken1)
        }
        let taken2 = bucket.take(at: origin + .seconds(9))
        #expect(!taken2)
        #expect(bucket.available(at: origin + .seconds(9)) == 0)
        #expect(bucket.nextAvailable(at: origin + .seconds(9)) == origin + .seconds(10))
        let taken3 = bucket.take(at: origin + .seconds(10))
        #expect(taken3)
    }

    @Test func multiChannelJoinTakesOneTokenPerChannelAllOrNothingIRCJ3() {
        var bucket = TokenBucket(ChatRateLimit(count: 20, period: .seconds(10)))
        let taken4 = bucket.take(5, at: origin)
        #expect(taken4)
        #expect(bucket.available(at: origin) == 15)
        let taken5 = bucket.take(16, at: origin + .seconds(1))
        #expect(!taken5)
        #expect(bucket.available(at: origin + .seconds(1)) == 15)
        let taken6 = bucket.take(15, at: origin + .seconds(2))
        #expect(taken6)
        // The five from `origin` come back first, the fifteen later.
        #expect(bucket.nextAvailable(5, at: origin + .seconds(3)) == origin + .seconds(10))
        #expect(bucket.nextAvailable(6, at: origin + .seconds(3)) == origin + .seconds(12))
        #expect(bucket.nextAvailable(500, at: origin + .seconds(3)) == origin + .seconds(12))
    }

    @Test func greedyTakerNeverExceedsTheLimitInAnyWindowIRCJ3() {
        let limit = ChatRateLimit.joins
        var bucket = TokenBucket(limit)
        var takes: [ContinuousClock.Instant] = []
        // Try to take 7 tokens every 370 ms for ten minutes.
        for step in 0..<1_600 {
            let now = origin + .milliseconds(370 * step)
            let count = min(7, bucket.available(at: now))
            if count > 0, bucket.take(count, at: now) {
                takes.append(contentsOf: repeatElement(now, count: count))
            }
        }
        #expect(takes.count > 1_000)
        for (index, start) in takes.enumerated() {
            let inWindow = takes[index...].prefix { $0 < start + limit.period }.count
            #expect(inWindow <= limit.count)
            // Twitch's own window is 10 s; the bucket's 11 s keeps every 10 s window under 20 too.
            #expect(takes[index...].prefix { $0 < start + .seconds(10) }.count <= 20)
        }
    }

    @Test func waitingUntilNextAvailableAlwaysSucceedsIRCS3() {
        var bucket = TokenBucket(.messages)
        var now = origin
        for _ in 0..<100 {
            if !bucket.take(at: now) {
                now = bucket.nextAvailable(at: now)
                let taken7 = bucket.take(at: now)
                #expect(taken7)
            }
        }
        // 100 messages at 20 per 30 s need four full periods.
        #expect(now - origin == .seconds(120))
    }
}
