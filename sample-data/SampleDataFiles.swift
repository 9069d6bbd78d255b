import Foundation

/// Where the demo shop's CSV files are once built into the app's resource bundle.
public enum SampleDataFiles {
    /// The folder holding `products.csv`, `stock.csv`, `customers.csv`, `staff.csv`, `tax_classes.csv`,
    /// `orders.csv` and `order_lines.csv`. `TILL_SAMPLE_DATA` points elsewhere (for trying edited demo data).
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["TILL_SAMPLE_DATA"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return Bundle.module.bundleURL.appendingPathComponent("csv", isDirectory: true)
    }
}
