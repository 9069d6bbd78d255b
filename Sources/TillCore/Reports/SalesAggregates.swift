import Foundation
import GRDB

/// Sales pre-aggregated into quarter-hour slots, so a report over a month reads a few thousand rows instead
/// of every order line (the Reports pane at a million orders: 2.7 s → a few ms for everything but products).
///
/// Triggers keep the tables in the same transaction as every change to a sale — completing, voiding, a
/// refund's status change, a line's category set aside when its category is deleted, an item switched to kg —
/// so no use case has to remember them: each change takes the order's old contribution out (BEFORE) and puts
/// its new one in (AFTER). A slot is a quarter hour of UTC time (`completed_at` cut to 00/15/30/45 minutes):
/// every time zone's offset is a multiple of 15 minutes, so a slot lies inside one local hour and one local
/// day, whatever zone the report is read in. The parts of a period that do not fill whole slots (the minutes
/// up to now) are read from the orders themselves, so the figures are exactly the unaggregated ones
/// (`SalesAggregatesTests` compares both).
///
/// What a slot holds of an order is the same rule the unaggregated reports use: numbered, not voided,
/// with a completion time. A line's unit (pieces or kg) is its item's unit now, as `ItemCount` reads it.
public enum SalesAggregates {
    /// A slot is this many seconds long.
    static let slotSeconds: Int64 = 900

    static func counted(_ o: String) -> String {
        "(\(o).number IS NOT NULL AND \(o).status <> 'voided' AND \(o).completed_at IS NOT NULL)"
    }

    /// `completed_at` ("2026-11-25 14:37:12.345") cut to its slot ("2026-11-25 14:30").
    static let slotSQL = "substr(o.completed_at, 1, 14) || printf('%02d', CAST(substr(o.completed_at, 15, 2) AS INTEGER) / 15 * 15)"

    static let lineCost = "(COALESCE(l.unit_cost, 0) * l.quantity_milli + 500) / 1000"

    static let schemaSQL = """
        CREATE TABLE sales_slot (
            slot TEXT NOT NULL,
            day TEXT NOT NULL,            -- the orders' business day, '' for orders from before business days
            orders INTEGER NOT NULL,
            gross INTEGER NOT NULL,
            discounts INTEGER NOT NULL,
            total INTEGER NOT NULL,
            tax INTEGER NOT NULL,
            with_customer INTEGER NOT NULL,
            line_orders INTEGER NOT NULL, -- orders with at least one line
            quantity INTEGER NOT NULL,
            line_total INTEGER NOT NULL,
            line_tax INTEGER NOT NULL,
            cost INTEGER NOT NULL,
            pieces INTEGER NOT NULL,
            weight INTEGER NOT NULL,
            PRIMARY KEY (slot, day)
        ) WITHOUT ROWID;
        CREATE TABLE sales_slot_category (
            slot TEXT NOT NULL,
            category INTEGER NOT NULL,    -- the line's category as sold, 0 for none
            orders INTEGER NOT NULL,
            quantity INTEGER NOT NULL,
            line_total INTEGER NOT NULL,
            line_tax INTEGER NOT NULL,
            cost INTEGER NOT NULL,
            PRIMARY KEY (slot, category)
        ) WITHOUT ROWID;
        CREATE TABLE sales_slot_product (
            slot TEXT NOT NULL,
            product TEXT NOT NULL,        -- "SKU name" as sold
            orders INTEGER NOT NULL,
            quantity INTEGER NOT NULL,
            line_total INTEGER NOT NULL,
            line_tax INTEGER NOT NULL,
            cost INTEGER NOT NULL,
            PRIMARY KEY (slot, product)
        ) WITHOUT ROWID;
        -- A customer's lifetime: their numbered, not voided orders.
        CREATE TABLE customer_sales (
            customer_id INTEGER PRIMARY KEY,
            orders INTEGER NOT NULL,
            lifetime INTEGER NOT NULL
        );
        CREATE INDEX customer_sales_lifetime ON customer_sales(lifetime DESC, customer_id);
        -- When a customer first bought (numbered orders, voided ones too): an order then is not a returning
        -- one. `first_sold` counts the orders of that moment that are sold (not voided).
        CREATE TABLE customer_first (
            customer_id INTEGER PRIMARY KEY,
            first_at DATETIME NOT NULL,
            first_sold INTEGER NOT NULL
        );
        CREATE INDEX customer_first_at ON customer_first(first_at, first_sold);
        -- Products over the slots from `product_window_state.start` on: the Reports pane's month, so its best
        -- and worst sellers are read from an index instead of grouping a quarter of a million slot rows.
        CREATE TABLE product_window_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            start TEXT NOT NULL
        );
        CREATE TABLE product_window (
            product TEXT PRIMARY KEY,
            orders INTEGER NOT NULL,
            quantity INTEGER NOT NULL,
            line_total INTEGER NOT NULL,
            line_tax INTEGER NOT NULL,
            cost INTEGER NOT NULL
        );
        -- Sales as ranked in a tax-inclusive store, and in one where tax is added.
        CREATE INDEX product_window_inclusive ON product_window(line_total DESC, product);
        CREATE INDEX product_window_exclusive ON product_window(line_total + line_tax DESC, product);
        """

    /// The statements that add (`sign` 1) or take out (`sign` -1) the contribution of the orders `o` matching
    /// `filter` as they are now.
    static func contribution(sign: Int, filter: String) -> String {
        let s = sign > 0 ? "" : "-"
        func upsert(_ columns: [String]) -> String {
            columns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
        }
        let lineColumns = ["orders", "quantity", "line_total", "line_tax", "cost"]
        var sql = """
            INSERT INTO sales_slot(slot, day, orders, gross, discounts, total, tax, with_customer, line_orders, quantity,
                                   line_total, line_tax, cost, pieces, weight)
            SELECT \(slotSQL) AS s, COALESCE(o.business_day, '') AS d, \(s)COUNT(*), \(s)SUM(o.subtotal), \(s)SUM(o.discount_total),
                   \(s)SUM(o.total), \(s)SUM(o.tax_total), \(s)SUM(o.customer_id IS NOT NULL), \(s)SUM(x.order_id IS NOT NULL),
                   \(s)COALESCE(SUM(x.quantity), 0), \(s)COALESCE(SUM(x.line_total), 0), \(s)COALESCE(SUM(x.line_tax), 0),
                   \(s)COALESCE(SUM(x.cost), 0), \(s)COALESCE(SUM(x.pieces), 0), \(s)COALESCE(SUM(x.weight), 0)
            FROM orders o LEFT JOIN (
                SELECT l.order_id, SUM(l.quantity_milli) AS quantity, SUM(l.total) AS line_total, SUM(l.tax) AS line_tax,
                       SUM(\(lineCost)) AS cost, \(ItemCount.sumsSQL)
                FROM order_line l \(ItemCount.itemUnitJoin)
                WHERE l.order_id IN (SELECT o.id FROM orders o WHERE \(filter)) GROUP BY l.order_id
            ) x ON x.order_id = o.id
            WHERE \(counted("o")) AND \(filter) GROUP BY s, d
            ON CONFLICT(slot, day) DO UPDATE SET \(upsert(["orders", "gross", "discounts", "total", "tax", "with_customer", "line_orders",
                                                           "quantity", "line_total", "line_tax", "cost", "pieces", "weight"]));
            INSERT INTO sales_slot_category(slot, category, orders, quantity, line_total, line_tax, cost)
            SELECT \(slotSQL) AS s, COALESCE(l.category_id, 0) AS c, \(s)COUNT(DISTINCT o.id), \(s)SUM(l.quantity_milli),
                   \(s)SUM(l.total), \(s)SUM(l.tax), \(s)SUM(\(lineCost))
            FROM orders o CROSS JOIN order_line l ON l.order_id = o.id
            WHERE \(counted("o")) AND \(filter) GROUP BY s, c
            ON CONFLICT(slot, category) DO UPDATE SET \(upsert(lineColumns));
            INSERT INTO sales_slot_product(slot, product, orders, quantity, line_total, line_tax, cost)
            SELECT \(slotSQL) AS s, l.sku || ' ' || l.name AS p, \(s)COUNT(DISTINCT o.id), \(s)SUM(l.quantity_milli),
                   \(s)SUM(l.total), \(s)SUM(l.tax), \(s)SUM(\(lineCost))
            FROM orders o CROSS JOIN order_line l ON l.order_id = o.id
            WHERE \(counted("o")) AND \(filter) GROUP BY s, p
            ON CONFLICT(slot, product) DO UPDATE SET \(upsert(lineColumns));
            INSERT INTO product_window(product, orders, quantity, line_total, line_tax, cost)
            SELECT l.sku || ' ' || l.name AS p, \(s)COUNT(DISTINCT o.id), \(s)SUM(l.quantity_milli),
                   \(s)SUM(l.total), \(s)SUM(l.tax), \(s)SUM(\(lineCost))
            FROM orders o CROSS JOIN order_line l ON l.order_id = o.id
            WHERE \(counted("o")) AND \(filter) AND \(slotSQL) >= (SELECT start FROM product_window_state) GROUP BY p
            ON CONFLICT(product) DO UPDATE SET \(upsert(lineColumns));
            INSERT INTO customer_sales(customer_id, orders, lifetime)
            SELECT o.customer_id, \(s)COUNT(*), \(s)SUM(o.total) FROM orders o
            WHERE \(counted("o")) AND o.customer_id IS NOT NULL AND \(filter) GROUP BY o.customer_id
            ON CONFLICT(customer_id) DO UPDATE SET \(upsert(["orders", "lifetime"]));

            """
        if sign < 0 {
            // Nothing left in a row: it goes, as an unaggregated report would not list the key at all.
            sql += """
                DELETE FROM sales_slot WHERE orders = 0 AND slot IN (SELECT \(slotSQL) FROM orders o WHERE \(filter));
                DELETE FROM sales_slot_category WHERE orders = 0 AND slot IN (SELECT \(slotSQL) FROM orders o WHERE \(filter));
                DELETE FROM sales_slot_product WHERE orders = 0 AND slot IN (SELECT \(slotSQL) FROM orders o WHERE \(filter));
                DELETE FROM customer_sales WHERE orders = 0 AND customer_id IN (SELECT o.customer_id FROM orders o WHERE \(filter));
                DELETE FROM product_window WHERE orders = 0 AND product IN (
                    SELECT l.sku || ' ' || l.name FROM orders o CROSS JOIN order_line l ON l.order_id = o.id WHERE \(filter));

                """
        }
        return sql
    }

    /// A customer's first purchase, looked up again (an index seek on `orders_customer`).
    static func firstPurchase(_ customer: String) -> String {
        """
        DELETE FROM customer_first WHERE customer_id = \(customer);
        INSERT INTO customer_first(customer_id, first_at, first_sold)
            SELECT f.customer_id, f.first_at,
                   (SELECT COUNT(*) FROM orders o WHERE o.customer_id = f.customer_id AND o.completed_at = f.first_at AND \(counted("o")))
            FROM (SELECT customer_id, MIN(completed_at) AS first_at FROM orders
                  WHERE customer_id = \(customer) AND number IS NOT NULL AND completed_at IS NOT NULL GROUP BY customer_id) f;

        """
    }

    /// The triggers, named `sales_agg_…` (a bulk load may set them aside and `rebuildSQL` afterwards).
    public static let triggersSQL: String = {
        let orderColumns = "number, status, completed_at, business_day, customer_id, subtotal, discount_total, total, tax_total"
        let changed = """
            (OLD.completed_at IS NOT NEW.completed_at OR OLD.business_day IS NOT NEW.business_day
             OR OLD.customer_id IS NOT NEW.customer_id OR OLD.subtotal <> NEW.subtotal OR OLD.discount_total <> NEW.discount_total
             OR OLD.total <> NEW.total OR OLD.tax_total <> NEW.tax_total)
            """
        let lineColumns = "order_id, variant_id, sku, name, quantity_milli, total, tax, unit_cost, category_id"
        func lineOrders(_ ids: String) -> String { "EXISTS (SELECT 1 FROM orders o WHERE o.id IN (\(ids)) AND \(counted("o")))" }
        func pair(_ name: String, _ event: String, when: String, filter: String) -> String {
            """
            CREATE TRIGGER sales_agg_\(name)_before BEFORE \(event) WHEN \(when) BEGIN
            \(contribution(sign: -1, filter: filter))END;
            CREATE TRIGGER sales_agg_\(name)_after AFTER \(event) WHEN \(when) BEGIN
            \(contribution(sign: 1, filter: filter))END;

            """
        }
        let unitOrders = "o.id IN (SELECT l.order_id FROM order_line l JOIN variant v ON v.id = l.variant_id WHERE v.product_id = NEW.id)"
        return """
            CREATE TRIGGER sales_agg_order_insert AFTER INSERT ON orders WHEN \(counted("NEW")) BEGIN
            \(contribution(sign: 1, filter: "o.id = NEW.id"))END;
            CREATE TRIGGER sales_agg_order_update_before BEFORE UPDATE OF \(orderColumns) ON orders
            WHEN \(counted("OLD")) AND (NOT \(counted("NEW")) OR \(changed)) BEGIN
            \(contribution(sign: -1, filter: "o.id = OLD.id"))END;
            CREATE TRIGGER sales_agg_order_update_after AFTER UPDATE OF \(orderColumns) ON orders
            WHEN \(counted("NEW")) AND (NOT \(counted("OLD")) OR \(changed)) BEGIN
            \(contribution(sign: 1, filter: "o.id = NEW.id"))END;
            CREATE TRIGGER sales_agg_order_delete BEFORE DELETE ON orders WHEN \(counted("OLD")) BEGIN
            \(contribution(sign: -1, filter: "o.id = OLD.id"))END;
            CREATE TRIGGER sales_agg_first_insert AFTER INSERT ON orders WHEN NEW.customer_id IS NOT NULL AND NEW.number IS NOT NULL BEGIN
            \(firstPurchase("NEW.customer_id"))END;
            CREATE TRIGGER sales_agg_first_update AFTER UPDATE OF customer_id, number, completed_at, status ON orders
            WHEN (OLD.customer_id IS NOT NULL OR NEW.customer_id IS NOT NULL) AND (OLD.customer_id IS NOT NEW.customer_id
                  OR OLD.number IS NOT NEW.number OR OLD.completed_at IS NOT NEW.completed_at
                  OR (OLD.status = 'voided') IS NOT (NEW.status = 'voided')) BEGIN
            \(firstPurchase("OLD.customer_id"))\(firstPurchase("NEW.customer_id"))END;
            CREATE TRIGGER sales_agg_first_delete AFTER DELETE ON orders WHEN OLD.customer_id IS NOT NULL BEGIN
            \(firstPurchase("OLD.customer_id"))END;
            \(pair("line_insert", "INSERT ON order_line", when: lineOrders("NEW.order_id"), filter: "o.id = NEW.order_id"))
            \(pair("line_update", "UPDATE OF \(lineColumns) ON order_line", when: lineOrders("OLD.order_id, NEW.order_id"),
                   filter: "o.id IN (OLD.order_id, NEW.order_id)"))
            \(pair("line_delete", "DELETE ON order_line", when: lineOrders("OLD.order_id"), filter: "o.id = OLD.order_id"))
            \(pair("unit", "UPDATE OF unit ON product", when: "(OLD.unit = 'kg') IS NOT (NEW.unit = 'kg')", filter: unitOrders))
            \(pair("variant_product", "UPDATE OF product_id ON variant", when: "OLD.product_id IS NOT NEW.product_id",
                   filter: "o.id IN (SELECT order_id FROM order_line WHERE variant_id = NEW.id)"))
            """
    }()

    /// Empties the tables and fills them from every order: the migration's backfill, and a bulk load's last step.
    public static let rebuildSQL: String = """
        DELETE FROM sales_slot; DELETE FROM sales_slot_category; DELETE FROM sales_slot_product;
        DELETE FROM customer_sales; DELETE FROM customer_first; DELETE FROM product_window;
        \(contribution(sign: 1, filter: "1"))
        INSERT INTO customer_first(customer_id, first_at, first_sold)
            SELECT f.customer_id, f.first_at,
                   (SELECT COUNT(*) FROM orders o WHERE o.customer_id = f.customer_id AND o.completed_at = f.first_at AND \(counted("o")))
            FROM (SELECT customer_id, MIN(completed_at) AS first_at FROM orders
                  WHERE customer_id IS NOT NULL AND number IS NOT NULL AND completed_at IS NOT NULL GROUP BY customer_id) f;
        """

    /// Moves the product window to start at slot `start`: forward by taking out the slots it leaves (a day's
    /// worth when the pane opens on a new day), anywhere else by refilling it from the slots.
    public static func moveWindowSQL(from current: String?, to start: String) -> String {
        let sums = "SUM(orders), SUM(quantity), SUM(line_total), SUM(line_tax), SUM(cost)"
        let set = ["orders", "quantity", "line_total", "line_tax", "cost"].map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
        if let current, current < start {
            return """
                INSERT INTO product_window(product, orders, quantity, line_total, line_tax, cost)
                SELECT product, -SUM(orders), -SUM(quantity), -SUM(line_total), -SUM(line_tax), -SUM(cost) FROM sales_slot_product
                WHERE slot >= '\(current)' AND slot < '\(start)' GROUP BY product
                ON CONFLICT(product) DO UPDATE SET \(set);
                DELETE FROM product_window WHERE orders = 0;
                UPDATE product_window_state SET start = '\(start)';
                """
        }
        return """
            DELETE FROM product_window;
            INSERT INTO product_window(product, orders, quantity, line_total, line_tax, cost)
            SELECT product, \(sums) FROM sales_slot_product WHERE slot >= '\(start)' GROUP BY product;
            INSERT INTO product_window_state(id, start) VALUES (1, '\(start)') ON CONFLICT(id) DO UPDATE SET start = excluded.start;
            """
    }

    /// Puts the product window at slot `start` (a write).
    static func moveWindow(_ db: Database, to start: String) throws {
        let current = try String.fetchOne(db, sql: "SELECT start FROM product_window_state")
        guard current != start else { return }
        try db.execute(sql: moveWindowSQL(from: current, to: start))
    }

    /// The slot the product window starts at, if any.
    static func windowStart(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT start FROM product_window_state")
    }

    /// The migration: tables, triggers, and what the orders already hold.
    static func create(_ db: Database) throws {
        try db.execute(sql: schemaSQL)
        try db.execute(sql: triggersSQL)
        try db.execute(sql: rebuildSQL)
        // The window for the Reports pane's month as of now, so its first opening after the upgrade is quick.
        if let calendar = try? StoreSettings.load(db).calendar {
            try moveWindow(db, to: slotName(SalesReports.monthStart(endingAt: Date(), calendar: calendar)))
        }
    }

    /// The slot a moment on a slot boundary (or after it, within the slot) lies in.
    static func slotName(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return slotName(seconds - ((seconds % slotSeconds) + slotSeconds) % slotSeconds)
    }

    /// A slot's name for a moment on a slot boundary.
    static func slotName(_ seconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }
}
