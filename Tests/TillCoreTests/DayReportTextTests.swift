import Foundation
import Testing
import TillCore
import TillTestSupport

/// The X and Z reports as printed (CLI, Reports pane): every line within the till's width, figures in columns.
@Suite struct DayReportTextTests {
    @Test func theStaffTableIsInColumnsWithinTheWidth() throws {
        let store = try TestStores.demoStore()
        let max = try Staff(store: store).member(username: "max")
        let ctx = TillContext(staffID: max.id, clock: TillClock { TestStores.demoCreatedAt.addingTimeInterval(3600) })
        let lines = try DayReports(store: store).x(ctx).text(title: "X REPORT (not closed)")
        let header = try #require(lines.firstIndex { $0.hasPrefix("By staff") })
        let table = Array(lines[header...])
        #expect(table.count >= 3, "\(table)")
        #expect(table[0] == "By staff  sales     total  refunds voids no-sale")
        // Right-aligned figures: every row ends where the header does, however long each amount is.
        #expect(table.allSatisfy { DisplayWidth.of($0) == 48 }, "\(table.joined(separator: "\n"))")
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 48 }, "\(lines.joined(separator: "\n"))")
    }
}
