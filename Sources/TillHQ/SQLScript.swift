import Foundation

/// A script of several SQL statements (a migration, say) cut into single statements.
///
/// postgres-nio speaks only the extended query protocol, which takes one statement per query, and its
/// `simpleQuery` is that same protocol under another name. So `HQConnection.simple` runs a script statement
/// by statement, and needs to know where each ends: at a semicolon outside quotes, identifiers, dollar-quoted
/// bodies and comments, as psql finds them.
enum SQLScript {
    struct Statement: Equatable {
        var sql: String
        /// The first word, lowercased: what the statement does ("create", "begin", "commit").
        var keyword: String
    }

    /// The statements of `script` in order, without their semicolons; blank and comment-only pieces dropped.
    /// A SQL-standard function body (`BEGIN ATOMIC … END`) holds semicolons of its own that only the server's
    /// grammar can place, so it is refused: write the body in `$$ … $$`.
    static func statements(_ script: String) throws -> [Statement] {
        let chars = Array(script.unicodeScalars)
        var statements: [Statement] = []
        var start = 0
        var index = 0
        var keyword: String?
        var previousWord = ""

        func finish(_ end: Int) {
            var text = String(String.UnicodeScalarView(chars[start..<end]))
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let keyword, !text.isEmpty { statements.append(Statement(sql: text, keyword: keyword)) }
            keyword = nil
            previousWord = ""
        }
        func at(_ offset: Int) -> Unicode.Scalar? { chars.indices.contains(index + offset) ? chars[index + offset] : nil }
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
        func isWordPart(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || ("0"..."9").contains(c) || c == "$" }

        while index < chars.count {
            let c = chars[index]
            if c == "-" && at(1) == "-" {
                while index < chars.count && chars[index] != "\n" { index += 1 }
            } else if c == "/" && at(1) == "*" {
                var depth = 0
                while index < chars.count {
                    if chars[index] == "/" && at(1) == "*" { depth += 1; index += 2; continue }
                    if chars[index] == "*" && at(1) == "/" { depth -= 1; index += 2; if depth == 0 { break }; continue }
                    index += 1
                }
            } else if c == "'" {
                keyword = keyword ?? ""
                index = skipQuoted(chars, from: index, quote: "'", backslashes: false)
            } else if c == "\"" {
                keyword = keyword ?? ""
                index = skipQuoted(chars, from: index, quote: "\"", backslashes: false)
            } else if c == "$", let tag = dollarTag(chars, at: index) {
                keyword = keyword ?? ""
                index += tag.count
                while index < chars.count && !matches(chars, tag, at: index) { index += 1 }
                index = min(chars.count, index + tag.count)
            } else if c == ";" {
                finish(index)
                index += 1
                start = index
            } else if isWordStart(c) {
                let wordStart = index
                while index < chars.count && isWordPart(chars[index]) { index += 1 }
                // E'…' is the one string form in which a backslash escapes the quote.
                if index - wordStart == 1 && (c == "e" || c == "E") && index < chars.count && chars[index] == "'" {
                    keyword = keyword ?? ""
                    index = skipQuoted(chars, from: index, quote: "'", backslashes: true)
                    continue
                }
                let word = String(String.UnicodeScalarView(chars[wordStart..<index])).lowercased()
                if keyword == nil { keyword = word }
                if previousWord == "begin" && word == "atomic" {
                    throw HQError.invalid("a script for simple() holds a BEGIN ATOMIC function body; write the body in $$ … $$")
                }
                previousWord = word
            } else {
                if !c.properties.isWhitespace { keyword = keyword ?? "" }
                index += 1
            }
        }
        finish(chars.count)
        return statements
    }

    /// The index just past the closing quote (a doubled quote is part of the text).
    private static func skipQuoted(_ chars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashes: Bool) -> Int {
        var index = start + 1
        while index < chars.count {
            if backslashes && chars[index] == "\\" { index += 2; continue }
            if chars[index] == quote {
                if index + 1 < chars.count && chars[index + 1] == quote { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return index
    }

    /// `$$` or `$tag$` starting at `index`; nil for a parameter (`$1`) or a `$` inside a word.
    private static func dollarTag(_ chars: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        if index > 0, chars[index - 1] == "_" || chars[index - 1].properties.isAlphabetic || ("0"..."9").contains(chars[index - 1]) {
            return nil
        }
        var end = index + 1
        while end < chars.count, chars[end] == "_" || chars[end].properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(chars[end])) {
            end += 1
        }
        guard end < chars.count, chars[end] == "$" else { return nil }
        return Array(chars[index...end])
    }

    private static func matches(_ chars: [Unicode.Scalar], _ tag: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + tag.count <= chars.count else { return false }
        return Array(chars[index..<index + tag.count]) == tag
    }
}
