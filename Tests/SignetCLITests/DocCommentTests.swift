import Foundation
import SignetTestSupport
import Testing

/// docs/engineering.md: "doc comments on every public declaration" (issue 13). The whole of
/// `Sources/` is read, so a new public declaration without one fails here.
@Suite("Every public declaration has a doc comment")
struct DocCommentTests {
    @Test("every public or open declaration under Sources/ has a /// or /** */ doc comment")
    func everyPublicDeclarationIsDocumented() throws {
        let sources = RepositoryPaths.root.appendingPathComponent("Sources")
        let missing = try DocCommentScanner.undocumented(under: sources, relativeTo: RepositoryPaths.root)
        if !missing.isEmpty {
            Issue.record("\(missing.count) public declarations without a doc comment:\n\(missing.joined(separator: "\n"))")
        }
    }

    @Test("the scanner sees the files: Sources/ holds public declarations it recognises")
    func scannerReadsTheSources() throws {
        // Guards the test above against passing because it read nothing.
        let file = RepositoryPaths.root.appendingPathComponent("Sources/SignetPDF/PDFName.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        let declarations = text.split(separator: "\n").filter { DocCommentScanner.isPublicDeclaration(String($0)) }
        #expect(declarations.count > 5, "\(declarations)")
    }

    @Test("documented forms pass: ///, /** */, attributes between, #if, modifiers, generics")
    func documentedFormsPass() {
        let source = """
            /// A type.
            public struct A<T: Sendable>: Sendable where T: Hashable {
                /// Several lines
                /// of documentation.
                @inlinable
                @discardableResult public func f<U>(_ u: U) -> Int { 0 }
                /** A block doc comment. */
                public private(set) var count = 0
                /**
                 A multi-line block doc comment.
                 */
                @available(*, deprecated, message: "use (other)")
                public nonisolated static func g() {}
            #if canImport(Glibc)
                /// Conditional.
                public static let h = 1
            #endif
                /// An operator.
                public static func == (lhs: A, rhs: A) -> Bool { true }
                /// A failable init.
                public init?(x: Int) {}
            }
            /// A class.
            open class B {
                /// An open class method.
                open class func c() {}
            }
            public import Foundation
            public extension A {}
            let text = \"""
                public func inAString() {}
                \"""
            let raw = #"public func inARawString() "quoted" {}"#
            /*
             public func inAComment() {}
             */
            func open(_ path: String) {}
            """
        #expect(DocCommentScanner.undocumented(in: source) == [])
    }

    @Test("undocumented forms are found, each on its line")
    func undocumentedFormsFail() {
        let source = """
            public struct A {
                // A plain comment is not a doc comment.
                public var a = 0
                /* Nor is a plain block comment. */
                public var b = 0
                /// A doc comment separated by a blank line does not attach.

                public var c = 0
                ///
                public var d = 0
                @inlinable
                public func e() {}
                public private(set) var f = 0
            #if os(Linux)
                public nonisolated func g<T>(_ t: T) {}
            #endif
                /// Before the #if, so not attached.
            #if DEBUG
                public static let h = 1
            #endif
                open class func i() {}
                public init(from decoder: any Decoder) throws {}
                public func hash(into hasher: inout Hasher) {}
                public var description: String { "" }
            }
            let s = "/* not a comment opener"
            public func j() {}
            let m = \"""
                ends here \\\""" not yet
                \"""
            public func k() {}
            """
        let found = DocCommentScanner.undocumented(in: source).map(\.line)
        #expect(found == [1, 3, 5, 8, 10, 12, 13, 15, 19, 21, 22, 23, 24, 27, 31])
    }
}
