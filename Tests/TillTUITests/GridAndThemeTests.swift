import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

@Suite struct DisplayWidthTests {
    @Test func widthsFollowTheTerminalRules() {
        #expect(DisplayWidth.of("Cafe") == 4)
        #expect(DisplayWidth.of("Café") == 4)
        #expect(DisplayWidth.of("Cafe\u{301}") == 4)  // e + combining acute
        #expect(DisplayWidth.of("中文") == 4)
        #expect(DisplayWidth.of("🙂") == 2)
        #expect(DisplayWidth.of("ﾊﾝｶｸ") == 4)  // half-width katakana
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("\u{200B}") == 0)
    }

    @Test func clippingIsByDisplayWidth() {
        #expect("中文字幕".clipped(toWidth: 5) == "中文…")
        #expect("Café Crème".clipped(toWidth: 6) == "Café …")
        #expect("abc".clipped(toWidth: 3) == "abc")
        #expect("abc".clipped(toWidth: 0) == "")
        #expect("中文".padded(toWidth: 6) == "中文  ")
        #expect("€2.50".padded(toWidth: 7, alignRight: true) == "  €2.50")
    }
}

@Suite struct CellGridTests {
    @Test func putClipsAtTheLimitAndNeverSplitsAWideCharacter() {
        var grid = CellGrid(width: 6, height: 1)
        let used = grid.put("ab中文", x: 1, y: 0, style: .plain)
        #expect(used == 4)  // 文 would need columns 5 and 6; the grid ends at 5
        #expect(grid.text == " ab中")
        var narrow = CellGrid(width: 10, height: 1)
        narrow.put("中文字", x: 0, y: 0, style: .plain, maxWidth: 5)
        #expect(narrow.text == "中文")
    }

    @Test func overwritingHalfAWideCharacterClearsTheOtherHalf() {
        var grid = CellGrid(width: 4, height: 1)
        grid.put("中文", x: 0, y: 0, style: .plain)
        grid.put("x", x: 1, y: 0, style: .plain)
        #expect(grid.text == " x文")
        grid.put("y", x: 2, y: 0, style: .plain)
        #expect(grid.text == " xy")
    }

    @Test func controlCharactersBecomeVisiblePlaceholders() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("a\u{7}b", x: 0, y: 0, style: .plain)
        #expect(grid.text == "a�b")
    }

    @Test func diffSendsOnlyWhatChanged() {
        var before = CellGrid(width: 10, height: 3)
        before.put("hello", x: 0, y: 1, style: .plain)
        var after = before
        after.put("J", x: 0, y: 1, style: .plain)
        after.put("中", x: 6, y: 2, style: .plain)
        let runs = after.changes(since: before)
        #expect(runs.count == 2)
        #expect(runs[0].x == 0 && runs[0].y == 1 && runs[0].cells.count == 1)
        #expect(runs[1].x == 6 && runs[1].y == 2 && runs[1].cells.count == 2)
        #expect(after.changes(since: after).isEmpty)
        #expect(after.changes(since: nil).count == 3)
    }
}

@Suite struct ThemeTests {
    @Test func bundledThemesLoadWithEveryRole() throws {
        for name in Theme.bundledNames {
            let theme = try Theme.load(name)
            #expect(theme.name == name)
        }
        let mono = try Theme.load("mono")
        for role in ThemeRole.allCases {
            #expect(mono[role].foreground == .terminalDefault && mono[role].background == .terminalDefault)
        }
        #expect(mono[.rowSelected].reverse)
    }

    @Test func choosingFollowsFlagThenEnvironmentThenNoColor() {
        #expect(Theme.choose(flag: "light", environment: ["TILL_THEME": "mono", "NO_COLOR": "1"]) == "light")
        #expect(Theme.choose(flag: nil, environment: ["TILL_THEME": "high-contrast", "NO_COLOR": "1"]) == "high-contrast")
        #expect(Theme.choose(flag: nil, environment: ["NO_COLOR": "1"]) == "mono")
        #expect(Theme.choose(flag: nil, environment: ["NO_COLOR": ""]) == "default")
        #expect(Theme.choose(flag: nil, environment: [:]) == "default")
    }

    @Test func badThemesNameTheFileAndKey() throws {
        func error(_ toml: String) -> String {
            do {
                _ = try Theme.parse(toml, file: "themes/bad.toml")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(error("[roles]\ntext = { fg = \"purple\" }") ==
                "themes/bad.toml: roles.text.fg: unknown colour \"purple\" (use default, a name such as cyan or bright-red, or 0-255)")
        #expect(error("[roles]\ntext = { fg = 300 }") == "themes/bad.toml: roles.text.fg: colour index 300 is not 0-255")
        #expect(error("[roles]\nsidebar = { fg = \"red\" }").hasPrefix("themes/bad.toml: roles.sidebar: unknown role"))
        #expect(error("[roles]\ntext = { blink = true }").hasPrefix("themes/bad.toml: roles.text.blink: unknown attribute"))
        #expect(error("[roles]\ntext = { bold = \"yes\" }") == "themes/bad.toml: roles.text.bold: expected true or false")
        #expect(error("name = \"x\"").hasPrefix("themes/bad.toml: missing [roles]"))
        #expect(error("[roles\ntext = 1").hasPrefix("themes/bad.toml:1:"))
        #expect(throws: TillError.invalid("unknown theme \"no-such-theme\" (bundled: default, light, high-contrast, mono; or a .toml file)")) { try Theme.load("no-such-theme") }
    }

    @Test func userThemesComeFromTheConfigFolder() throws {
        let config = TestStores.temporaryDirectory()
        let folder = config.appendingPathComponent("till/themes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("name = \"mine\"\n[roles]\ntext = { fg = \"red\" }\n".utf8).write(to: folder.appendingPathComponent("mine.toml"))
        let theme = try Theme.load("mine", environment: ["XDG_CONFIG_HOME": config.path])
        #expect(theme[.text].foreground == .red)
        #expect(theme[.money].foreground == .red)  // a role the theme leaves out falls back to text
    }

    @Test func coloursDegradeToWhatTheTerminalHas() {
        let style = CellStyle(foreground: .indexed(11), background: .indexed(236))
        let eight = ColorDegrade.fit(style, colors: 8)
        #expect(eight.foreground == .yellow && eight.bold)
        #expect(eight.background == .black)
        let sixteen = ColorDegrade.fit(style, colors: 16)
        #expect(sixteen.foreground == .indexed(11))
        let none = ColorDegrade.fit(CellStyle(foreground: .black, background: .cyan), colors: 0)
        #expect(none.reverse && none.background == .terminalDefault)
        #expect(ColorDegrade.fit(style, colors: 256) == style)
    }
}

@Suite struct HostileThemeAndInputTests {
    /// Random TOML-ish text: a theme or a clear error naming the file, never a crash.
    @Test func randomThemeFilesAreLoadedOrRefused() {
        let pieces = ["[roles]", "text = {}", "money = { fg = \"red\" }", "fg = 300", "= =", "\"", "[[x]]", "bold = maybe",
                      "border = { bg = -1 }", "\u{0}", "name = 'x'", "ascii = 3", "{", "}", "\n", "error = { fg = \"#fff\" }"]
        var state: UInt64 = 5
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int(state % 8) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(state >> 33) % pieces.count] + "\n"
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            do {
                _ = try Theme.parse(text, file: "fuzz.toml")
            } catch let error as TillError {
                #expect(error.description.hasPrefix("fuzz.toml"), "\(error)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func aTenThousandCharacterScanLineIsRefusedPolitely() throws {
        let app = try TestApp.demo()
        app.type(String(repeating: "7", count: 10_000))
        app.press(.enter)
        #expect(app.state.message?.isError == true)
        #expect(app.state.register.cart == nil)
        #expect(app.screen.contains("Unknown barcode"))
        app.type("SNK-002\u{1}\u{7}")
        app.press(.enter)
        _ = app.screen
    }
}
