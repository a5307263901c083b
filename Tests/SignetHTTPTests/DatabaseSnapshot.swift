import Foundation
import SignetStore
import SignetTestSupport

/// Everything a service holds, read behind its back: every table's rows (each row as JSON
/// text, sorted, so that a row rewritten with the same values compares equal) on either
/// backend, and every file under the data directory but the SQLite database's own (the
/// blob store). Two snapshots compare per table, so a test names what changed.
struct DatabaseSnapshot: Equatable {
    /// Rows by table name.
    var tables: [String: [String]]
    /// The data directory's files (path relative to it → size), without the database files.
    var files: [String: Int]

    /// The tables whose rows differ from `other`'s, and `files` when the blob store differs.
    func differences(from other: DatabaseSnapshot) -> [String] {
        var changed = Set(tables.keys).union(other.tables.keys).filter { tables[$0] != other.tables[$0] }.sorted()
        if files != other.files { changed.append("files") }
        return changed
    }

    /// The snapshot without `columns` of `table` (a column a refused request may move: a
    /// failed-attempt counter, a rate-limit window), and without `tables` altogether.
    func ignoring(tables ignored: Set<String> = [], columns: [String: Set<String>] = [:]) -> DatabaseSnapshot {
        var copy = self
        for table in ignored { copy.tables[table] = nil }
        for (table, names) in columns {
            copy.tables[table] = tables[table]?.map { row in
                guard var object = (try? JSONSerialization.jsonObject(with: Data(row.utf8))) as? [String: Any] else { return row }
                for name in names { object[name] = nil }
                return Self.text(object)
            }.sorted()
        }
        return copy
    }

    /// `object` as JSON with sorted keys.
    static func text(_ object: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "\(object)"
    }
}

extension APIHarness {
    /// Every table's rows and the blob store's files, now.
    func snapshot() throws -> DatabaseSnapshot {
        var tables: [String: [String]] = [:]
        switch location {
        case .sqlite(let directory):
            let database = "\(directory)/signet.sqlite"
            // Every table's columns, then one statement per table printing `table<TAB>row as
            // JSON` (blobs as hex: the shell's JSON mode would print their raw bytes).
            let columns = try Self.lines(ExternalTool.run("sqlite3", ["-separator", "\t", database, """
                SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid
                """]))
            var byTable: [(String, [String])] = []
            for line in columns {
                let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2 else { continue }
                if byTable.last?.0 == parts[0] { byTable[byTable.count - 1].1.append(parts[1]) } else { byTable.append((parts[0], [parts[1]])) }
            }
            let statements = byTable.map { table, names in
                let members = names.map { "'\($0)', CASE typeof(\"\($0)\") WHEN 'blob' THEN hex(\"\($0)\") ELSE \"\($0)\" END" }
                return "SELECT '\(table)' || char(9) || json_object(\(members.joined(separator: ", "))) FROM \"\(table)\";"
            }
            let result = try ExternalTool.run("sqlite3", [database, statements.joined(separator: "\n")])
            guard result.status == 0 else { throw OracleSetupError(description: "sqlite3: \(result.errorOutput)") }
            for (table, _) in byTable { tables[table] = [] }
            for line in result.output.split(separator: "\n") {
                guard let tab = line.firstIndex(of: "\t") else { continue }
                let row = String(line[line.index(after: tab)...])
                let object = (try? JSONSerialization.jsonObject(with: Data(row.utf8))).map { DatabaseSnapshot.text($0) } ?? row
                tables[String(line[..<tab]), default: []].append(object)
            }
            for table in tables.keys { tables[table]?.sort() }
        case .postgres(let postgres):
            // Every table's columns, then one query returning every table's rows as one JSON
            // object (bytea — the blobs — as their MD5: the same bytes give the same text).
            let columns = try Self.lines(ExternalTool.run("psql", [postgres.libpqURL, "-X", "-A", "-t", "-F", "\t", "-c", """
                SELECT table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                """]))
            var byTable: [(String, [String])] = []
            for line in columns {
                let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 3 else { continue }
                let value = parts[2] == "bytea" ? "md5(\"\(parts[1])\")" : "\"\(parts[1])\""
                let member = "'\(parts[1])', \(value)"
                if byTable.last?.0 == parts[0] { byTable[byTable.count - 1].1.append(member) } else { byTable.append((parts[0], [member])) }
            }
            let members = byTable.map { table, columns in
                "'\(table)', (SELECT coalesce(jsonb_agg(jsonb_build_object(\(columns.joined(separator: ", ")))), '[]'::jsonb) FROM \"\(table)\")"
            }
            let result = try ExternalTool.run("psql", [postgres.libpqURL, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c",
                                                       "SELECT jsonb_build_object(\(members.joined(separator: ", ")))"])
            guard result.status == 0 else { throw OracleSetupError(description: "psql: \(result.errorOutput)") }
            let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: [Any]] ?? [:]
            for (table, rows) in object { tables[table] = rows.map { DatabaseSnapshot.text($0) }.sorted() }
        }
        return DatabaseSnapshot(tables: tables, files: try dataFiles())
    }

    /// The data directory's files and sizes, but SQLite's own (its WAL grows with every read).
    private func dataFiles() throws -> [String: Int] {
        let root = directory.file("data")
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else { return [:] }
        var files: [String: Int] = [:]
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            guard values.isRegularFile == true, !url.lastPathComponent.hasPrefix("signet.sqlite") else { continue }
            files[String(url.path.dropFirst(root.path.count))] = values.fileSize ?? -1
        }
        return files
    }

    private static func lines(_ result: ToolResult) throws -> [String] {
        guard result.status == 0 else { throw OracleSetupError(description: result.combinedOutput) }
        return result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
