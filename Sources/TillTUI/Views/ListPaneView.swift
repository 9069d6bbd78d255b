import TillCore

/// The frame every list pane shares: a box, a search line with its filters, a table of the visible window of
/// rows, and the position in the box's bottom border.
enum ListPaneView {
    static func draw<Row>(_ grid: inout CellGrid, in area: Rect, title: String, search: String, searchFocused: Bool,
                          searchHint: String, filters: String, list: ListWindow<Row>, columns: [TableColumn],
                          emptyText: String, theme: Theme, cells: (Row) -> [TableCell]) {
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title,
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        var x = inner.x + 1
        x += grid.put("Search: ", x: x, y: inner.y, style: theme[.inputLabel])
        let filterWidth = DisplayWidth.of(filters)
        let room = max(4, inner.width - (x - inner.x) - filterWidth - 3)
        if search.isEmpty && !searchFocused {
            grid.put(searchHint, x: x, y: inner.y, style: theme[.muted], maxWidth: room)
        } else {
            // Show the end of a long search, where the typing happens.
            var shown = search
            while !shown.isEmpty && DisplayWidth.of(shown) > room - 1 { shown.removeFirst() }
            x += grid.put(shown, x: x, y: inner.y, style: theme[.input])
            if searchFocused { grid.put("▏", x: x, y: inner.y, style: theme[.input]) }
        }
        grid.put(filters, x: inner.x + inner.width - filterWidth - 1, y: inner.y, style: theme[.info])

        let visible = Layout.listRows(ScreenSize(width: grid.width, height: grid.height))
        let rows = (list.top..<(list.top + visible)).compactMap { list.row(at: $0) }
        if list.isEmpty {
            Table.draw(into: &grid, x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, columns: columns,
                       rows: [], selected: nil, theme: theme)
            grid.put(emptyText, x: inner.x + 1, y: inner.y + 3, style: theme[.muted], maxWidth: inner.width - 2)
        } else {
            Table.draw(into: &grid, x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, columns: columns,
                       rows: rows.map(cells), selected: list.selected - list.top, theme: theme)
        }
        let position: String
        if list.isEmpty || !list.hasLoaded {
            position = ""
        } else if let count = list.knownCount {
            position = " \(list.selected + 1) of \(count) "
        } else {
            position = " \(list.selected + 1) of \(list.start + list.rows.count)+ "
        }
        if !position.isEmpty {
            grid.put(position, x: area.x + area.width - DisplayWidth.of(position) - 2, y: area.y + area.height - 1,
                     style: theme[.muted])
        }
    }

    /// The screen row of the selected row in a list pane drawn in `area` (nil when none is on screen).
    static func selectedRowY<Row>(_ list: ListWindow<Row>, in area: Rect) -> Int? {
        guard list.selectedRow != nil else { return nil }
        return area.inner.y + 2 + list.selected - list.top
    }
}
