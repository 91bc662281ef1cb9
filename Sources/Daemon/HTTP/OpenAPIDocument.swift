/// The OpenAPI description served at `/openapi.yaml`: docs/openapi.yaml, embedded by `make openapi`.
enum OpenAPIDocument {
    /// The YAML text.
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: tumulte
          version: 0.1.0
        paths: {}
        """#
}
