/// A scrolling list over rows that live in the database: only a window of rows around what is visible is
/// loaded, so a list of a million products costs the same as a list of fifty.
public struct ListWindow<Row: Equatable & Sendable>: Equatable, Sendable {
    /// The loaded rows; `rows[0]` is row number `start` of the whole list.
    public private(set) var rows: [Row] = []
    public private(set) var start = 0
    /// True once a load came back shorter than asked: the list ends at `start + rows.count`.
    public private(set) var reachedEnd = false
    public private(set) var selected = 0
    public private(set) var top = 0
    /// Bumped whenever the query changes, so a late answer to an old query is ignored.
    public private(set) var generation = 0
    public private(set) var hasLoaded = false

    public init() {}

    /// How many rows one load asks for, given how many fit on screen.
    public static func pageSize(visible: Int) -> Int { max(visible, 1) * 3 }

    public var selectedRow: Row? {
        let index = selected - start
        return rows.indices.contains(index) ? rows[index] : nil
    }

    public var isEmpty: Bool { hasLoaded && rows.isEmpty && start == 0 }

    /// The row at absolute position `index`, when loaded.
    public func row(at index: Int) -> Row? {
        let local = index - start
        return rows.indices.contains(local) ? rows[local] : nil
    }

    /// The list's length when known (its end has been reached), else nil.
    public var knownCount: Int? { reachedEnd ? start + rows.count : nil }

    /// Starts over for a new query: returns the load to run.
    public mutating func reset(visible: Int) -> ListLoad {
        generation += 1
        selected = 0
        top = 0
        return ListLoad(offset: 0, limit: ListWindow.pageSize(visible: visible), generation: generation)
    }

    /// Reloads the same query after a change to its rows, keeping the selection and the scroll position (a fresh
    /// `reset` would jump to the first row, and the next action would land on another row than the one acted on).
    public mutating func refresh(visible: Int) -> ListLoad {
        generation += 1
        let rowsOnScreen = max(1, visible)
        return ListLoad(offset: max(0, top - rowsOnScreen / 2), limit: ListWindow.pageSize(visible: rowsOnScreen),
                        generation: generation)
    }

    /// Moves the selection to the first loaded row matching `predicate` (the row acted on, wherever the change
    /// moved it in the window); false, and the selection unchanged, when no loaded row matches.
    @discardableResult
    public mutating func select(where predicate: (Row) -> Bool, visible: Int) -> Bool {
        guard let index = rows.firstIndex(where: predicate) else { return false }
        selected = start + index
        fit(visible: visible)
        return true
    }

    /// Applies a load's answer, unless it was for an older query.
    public mutating func apply(_ loaded: [Row], offset: Int, limit: Int, generation: Int) {
        guard generation == self.generation else { return }
        rows = loaded
        start = offset
        reachedEnd = loaded.count < limit
        hasLoaded = true
        if let count = knownCount {
            selected = min(selected, max(0, count - 1))
            top = min(top, selected)
        }
    }

    /// Moves the selection by `delta` rows (clamped to the list) and scrolls so it stays visible. Returns a load
    /// when the selection left the loaded window.
    public mutating func move(by delta: Int, visible: Int) -> ListLoad? {
        var target = max(0, selected + delta)
        if let count = knownCount { target = min(target, max(0, count - 1)) }
        // Unknown length: never step past the last loaded row until the next window arrives.
        if knownCount == nil { target = min(target, start + rows.count - 1 + (rows.isEmpty ? 1 : 0)) }
        selected = max(0, target)
        let rowsOnScreen = max(1, visible)
        if selected < top { top = selected }
        if selected >= top + rowsOnScreen { top = selected - rowsOnScreen + 1 }
        return loadIfNeeded(visible: rowsOnScreen)
    }

    /// The window to fetch so the visible rows and half a screen beyond are loaded; nil when they already are.
    public func loadIfNeeded(visible: Int) -> ListLoad? {
        let rowsOnScreen = max(1, visible)
        let needsLater = !reachedEnd && top + rowsOnScreen + rowsOnScreen / 2 > start + rows.count
        let needsEarlier = start > 0 && top < start
        guard needsLater || needsEarlier else { return nil }
        let offset = max(0, top - rowsOnScreen / 2)
        return ListLoad(offset: offset, limit: ListWindow.pageSize(visible: rowsOnScreen), generation: generation)
    }

    /// Keeps the selection visible after the screen changed size.
    public mutating func fit(visible: Int) {
        let rowsOnScreen = max(1, visible)
        if selected >= top + rowsOnScreen { top = selected - rowsOnScreen + 1 }
        if selected < top { top = selected }
    }
}

/// One page of a list to fetch.
public struct ListLoad: Equatable, Sendable {
    public var offset: Int
    public var limit: Int
    public var generation: Int
}
