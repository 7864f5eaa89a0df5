// `--output table`'s layout: aligned columns measured in terminal columns (CJK and emoji are two
// wide, combining marks none), truncation with "…", human-readable sizes, JSON results as tables.
import MediaKit
import Testing

@Suite struct TableRendererTests {
    @Test func columnsAlignUnderAHeaderWithoutTrailingSpaces() {
        let text = TableRenderer.render(
            columns: [TableColumn("NAME"), TableColumn("SIZE", alignment: .right), TableColumn("STATE")],
            rows: [["ingest", "10", "ACTIVE"], ["transcode-long", "2000", "DELETED"]])
        #expect(text == """
            NAME            SIZE  STATE
            --------------  ----  -------
            ingest            10  ACTIVE
            transcode-long  2000  DELETED
            """)
        #expect(!text.split(separator: "\n").contains { $0.hasSuffix(" ") })
    }

    @Test func wideAndZeroWidthCharactersAreMeasuredInTerminalColumns() {
        #expect(TableRenderer.displayWidth("abc") == 3)
        #expect(TableRenderer.displayWidth("名前") == 4)
        #expect(TableRenderer.displayWidth("🎬") == 2)
        #expect(TableRenderer.displayWidth("e\u{301}cole") == 5)       // combining acute takes no column
        #expect(TableRenderer.displayWidth("👩‍👩‍👧") == 2)                // one ZWJ sequence, one emoji
        #expect(TableRenderer.displayWidth("ｆｕｌｌ") == 8)            // fullwidth forms
        #expect(TableRenderer.displayWidth("❤️") == 2)                  // text heart with emoji presentation selector

        let text = TableRenderer.render(columns: [TableColumn("NAME"), TableColumn("ID")],
                                        rows: [["名前", "1"], ["abcd", "2"], ["🎬x", "3"]], rule: false)
        let idColumns = text.split(separator: "\n").map { line in
            TableRenderer.displayWidth(String(line.prefix { $0 != "1" && $0 != "2" && $0 != "3" && $0 != "I" }))
        }
        #expect(Set(idColumns).count == 1, "\(text)")
    }

    @Test func longCellsAreCutWithAnEllipsisAtTheMaximumWidth() {
        #expect(TableRenderer.truncate("abcdefghij", toWidth: 5) == "abcd…")
        #expect(TableRenderer.truncate("abc", toWidth: 5) == "abc")
        #expect(TableRenderer.truncate("名前名前", toWidth: 5) == "名前…")   // a wide character never splits
        #expect(TableRenderer.truncate("abc", toWidth: 1) == "…")
        let text = TableRenderer.render(columns: [TableColumn("ID", maxWidth: 8), TableColumn("X")],
                                        rows: [["ocid1.mediaworkflow.oc1.iad.aaaa", "1"]], rule: false)
        #expect(text == "ID        X\nocid1.m…  1")
    }

    @Test func controlCharactersCannotBreakTheLayout() {
        let text = TableRenderer.render(columns: [TableColumn("A"), TableColumn("B")], rows: [["x\ny\u{1B}[2J", "z"]], rule: false)
        #expect(!text.contains("\u{1B}"))
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test(arguments: [
        (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"), (1_572_864, "1.5 MiB"),
        (1_048_575, "1.0 MiB"), (5 * 1_073_741_824, "5.0 GiB"), (1_099_511_627_776 * 3 / 2, "1.5 TiB"), (-2048, "-2.0 KiB"),
    ])
    func sizesAreHumanReadable(bytes: Int, expected: String) {
        #expect(TableRenderer.humanSize(bytes) == expected)
    }

    @Test func aJSONListBecomesColumnsInFirstSeenKeyOrder() throws {
        let value = try JSONParser.parse(#"""
            [{"displayName": "a", "sizeInBytes": 1572864, "tags": {"k": "v"}},
             {"displayName": "名前", "lifecycleState": "ACTIVE", "sizeInBytes": null}]
            """#)
        #expect(TableRenderer.render(value) == """
            displayName  sizeInBytes  tags       lifecycleState
            -----------  -----------  ---------  --------------
            a                1.5 MiB  {"k":"v"}
            名前                                 ACTIVE
            """)
    }

    @Test func anObjectBecomesKeyValueRowsAndScalarsOneColumn() throws {
        #expect(TableRenderer.render(try JSONParser.parse(#"{"id": "x", "size": 2048, "ok": true}"#)) == """
            KEY   VALUE
            ----  -------
            id    x
            size  2.0 KiB
            ok    true
            """)
        #expect(TableRenderer.render(try JSONParser.parse("[1, 22, 333]")) == "VALUE\n-----\n    1\n   22\n  333")
        #expect(TableRenderer.render(.string("alone")) == "VALUE\n-----\nalone")
    }
}
