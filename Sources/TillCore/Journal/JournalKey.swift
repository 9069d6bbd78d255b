@preconcurrency import Crypto
import Foundation

/// The store's own P-256 signing key, in a 0600 PEM file beside the store file (`shop.sqlite.journal-key` for
/// `shop.sqlite`). It never enters the store file, logs or backups of the store file alone: a copy of the store
/// cannot sign new entries, and the public key (recorded in the journal's first entry and, for a chain store,
/// at head office) tells whose signatures they are.
public struct JournalKey: Sendable {
    let privateKey: P256.Signing.PrivateKey

    public var publicKey: P256.Signing.PublicKey { privateKey.publicKey }

    public static func path(forStore storePath: String) -> String { storePath + ".journal-key" }

    /// The public key as PEM (SubjectPublicKeyInfo), what `openssl` and Python's `cryptography` read.
    public static func pem(_ key: P256.Signing.PublicKey) -> String { key.pemRepresentation + "\n" }

    /// SHA-256 of the public key's DER form, the first 16 hex digits: short enough to read out, long enough that
    /// two keys never share it by chance.
    public static func fingerprint(_ key: P256.Signing.PublicKey) -> String {
        String(SHA256.hash(data: key.derRepresentation).hex.prefix(16))
    }

    public static func publicKey(pem: String) throws -> P256.Signing.PublicKey {
        do { return try P256.Signing.PublicKey(pemRepresentation: pem) } catch {
            throw TillError.invalid("not a P-256 public key in PEM form")
        }
    }

    /// Reads the key file; a missing, unreadable or malformed file is an error naming it.
    public static func load(path: String) throws -> JournalKey {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TillError.storage("the journal key \(path) is missing or unreadable")
        }
        do {
            return JournalKey(privateKey: try P256.Signing.PrivateKey(pemRepresentation: text))
        } catch {
            throw TillError.storage("the journal key \(path) is not a P-256 private key in PEM form")
        }
    }

    /// Makes a new key file, owner-only. The file appears whole or not at all (written aside, then linked into
    /// place), and an existing key is never overwritten: two tills opening a new store at once agree on one key.
    static func create(path: String) throws -> JournalKey {
        let key = JournalKey(privateKey: P256.Signing.PrivateKey())
        let aside = path + ".new-\(getpid())"
        unlink(aside)
        let fd = open(aside, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw TillError.storage("cannot create the journal key \(path): \(String(cString: strerror(errno)))") }
        let pem = Array(key.privateKey.pemRepresentation.utf8) + [10]
        let written = pem.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        defer { unlink(aside) }
        guard written == pem.count, synced == 0 else {
            throw TillError.storage("cannot write the journal key \(path): \(String(cString: strerror(errno)))")
        }
        if link(aside, path) != 0 {
            if errno == EEXIST { return try load(path: path) }
            throw TillError.storage("cannot create the journal key \(path): \(String(cString: strerror(errno)))")
        }
        return key
    }

    /// ECDSA P-256 with SHA-256 over `message`, DER-encoded: what `openssl dgst -sha256 -verify` checks.
    func sign(_ message: [UInt8]) throws -> Data {
        try privateKey.signature(for: SHA256.hash(data: message)).derRepresentation
    }

    static func isValid(signature: Data, of message: [UInt8], by key: P256.Signing.PublicKey) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: SHA256.hash(data: message))
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, two digits a byte (fast: a million entries are hashed and compared on a verify).
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Digest {
    var hex: String { Array(self).hex }
}

/// Signature checks for those who hold only the public key: head office, with a store's registered key.
public enum JournalSignature {
    /// Whether `signature` (base64 DER) is the signature of `bytes` by the P-256 key `publicKey` (base64 DER,
    /// as a journal's first entry and HQ's `journal_key` hold it).
    public static func isValid(bytes: String, signature: String, publicKey: String) -> Bool {
        guard let der = Data(base64Encoded: publicKey), let key = try? P256.Signing.PublicKey(derRepresentation: der),
              let signatureData = Data(base64Encoded: signature) else { return false }
        return JournalKey.isValid(signature: signatureData, of: Array(bytes.utf8), by: key)
    }

    /// The fingerprint of a base64 DER public key, as `till journal key --fingerprint` prints it.
    public static func fingerprint(publicKey: String) -> String? {
        guard let der = Data(base64Encoded: publicKey), let key = try? P256.Signing.PublicKey(derRepresentation: der) else { return nil }
        return JournalKey.fingerprint(key)
    }
}
