import Foundation

/// The bundled theme files (`themes/*.toml`), shipped in the app's resource bundle.
public enum ThemeFiles {
    public static var directory: URL {
        Bundle.module.bundleURL
    }
}
