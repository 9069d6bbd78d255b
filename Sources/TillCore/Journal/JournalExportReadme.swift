import Foundation

/// The README and checking script that go into every journal export: written for an auditor who has never
/// seen Till, with standard tools only.
enum JournalExportReadme {
    static func text(from: String, to: String, summary: JournalExport.Summary) -> String {
        let span = summary.firstSeq.map { "entries \($0)–\(summary.lastSeq ?? $0)" } ?? "no entries"
        return """
        # Till sales journal, \(from) to \(to)

        \(summary.entries) journal entries (\(span)) and \(summary.zReports) Z reports.

        - `entries.jsonl`: one JSON object a line, one journal entry each, in order. `bytes` is the exact text that
          was hashed and signed (UTF-8); the other fields repeat what it says for convenience.
        - `public-key.pem`: the store's P-256 public key (SubjectPublicKeyInfo). For a store in a chain, compare
          it with the key registered at head office: anyone holding the private key could forge a whole new journal.
        - `z-reports/`: each day's Z report as printed (`.txt`) and its figures as frozen in the store (`.json`).
        - `verify.py`: checks every entry's hash, signature, link and grand totals (`python3 verify.py .`; needs
          Python's `cryptography` package). It does not read the Z reports: compare those with the `z_report`
          entries' `figures` by eye or script.

        ## The format (`till-journal=1`)

        An entry's bytes are lines of `name=value`, each ending in a line feed, in this order: `till-journal=1`,
        `seq` (1, 2, 3 … with no gaps), `kind` (sale, refund, void, return, pay_in, pay_out, no_sale, shift_close,
        z_report, journal_start), `ref` (the fact's row in the store), `at` (UTC, ISO 8601), `store`, `prev` (the
        previous entry's hash; 64 zeros for entry 1), the fact's own fields, then the perpetual grand totals after
        this entry: `gt_sales`, `gt_refunds`, `gt_net` (= sales − refunds). Money is in minor units (cents),
        quantities in thousandths, tax rates in parts per million (20 % = 200000). A value with several parts
        separates them with `|`; inside a value, `\\` is written `\\\\`, `|` as `\\|`, a line feed as `\\n`.

        A sale's fields: `receipt`, `register`, `time`, `business_day`, `staff`, `currency`, `tax_inclusive`, one
        `line=position|sku|name|quantity|unit_price|discount|tax_class|rate|tax|total` per line, one
        `tax=rate|lines_total|tax` per tax rate, one `tender=method|amount|tendered|change|card_brand|last4` per
        payment, then `subtotal`, `discount`, `tax_total`, `cash_rounding` and `total`. A refund, void or return
        has `amount` (what it adds to `gt_refunds`) and its lines and tenders; a Z report has its `figures` as JSON.
        Entry 1 (`journal_start`) holds the public key (`public_key`, base64 DER) the journal was started with.

        - The hash is SHA-256 of the bytes, in hex.
        - The signature is ECDSA P-256 with SHA-256 over the bytes, DER-encoded, in base64.
        - Each entry's `prev` equals the hash of the entry before it; each `gt_sales` is the one before plus this
          sale's `total`; each `gt_refunds` the one before plus this refund's `amount`.

        ## Checking one entry with openssl

        Write entry 42's bytes and signature to files (python3 only reads `entries.jsonl`), then:

        ```
        python3 -c 'import json, base64, sys; e = next(e for e in map(json.loads, open("entries.jsonl")) if e["seq"] == int(sys.argv[1])); open("entry.txt", "wb").write(e["bytes"].encode()); open("entry.sig", "wb").write(base64.b64decode(e["signature"])); print(e["hash"])' 42
        sha256sum entry.txt
        openssl dgst -sha256 -verify public-key.pem -signature entry.sig entry.txt
        ```

        The first line prints the entry's `hash`; `sha256sum` must print the same; openssl prints `Verified OK`.

        ## Checking a paper receipt

        The QR code on a receipt (also printed in words under it, after `Code:`, in the store's saved receipts)
        reads `TILLJ1|store|register|receipt|time|currency|rates|total|seq|hash|signature`: 11 fields split at `|`.
        `rates` is `rate_ppm:lines_total:tax` per tax rate, `;`-separated (20 % is 200000); money is in minor units
        (cents). The signature (field 11, base64 DER) is over the hash (field 10), so with the code in `$CODE`:

        ```
        echo "$CODE" | cut -d'|' -f10 | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' > hash.bin
        echo "$CODE" | cut -d'|' -f11 | base64 -d > sig.der
        openssl pkeyutl -verify -pubin -inkey public-key.pem -in hash.bin -sigfile sig.der
        ```

        openssl prints `Signature Verified Successfully`. Entry `seq` (field 9) of `entries.jsonl` must have that
        hash, and its bytes the receipt's store, register, number, time, tax rates and total.

        ## What this does and does not prove

        It proves that no entry was changed, removed, inserted or reordered since it was signed by the key above,
        and that the grand totals follow from the entries. It is not a national fiscal certification (NF525, RKSV,
        KassenSichV), and it cannot tell a journal re-made from scratch by someone holding the private key: that
        is why a chain store registers its public key at head office, which checks every entry as it arrives.

        """
    }

    static let verifyScript = #"""
    #!/usr/bin/env python3
    """Checks a Till journal export: each entry's hash, signature, link to the entry before, and grand totals."""
    import base64, hashlib, json, pathlib, sys
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    key = serialization.load_pem_public_key((folder / "public-key.pem").read_bytes())
    previous, problems, count = None, 0, 0
    for text in (folder / "entries.jsonl").read_text(encoding="utf-8").splitlines():
        entry, count = json.loads(text), count + 1
        data = entry["bytes"].encode("utf-8")
        fields = {}
        for line in entry["bytes"].splitlines():
            name, _, value = line.partition("=")
            fields.setdefault(name, value)
        wrong = []
        if fields.get("till-journal") != "1":
            wrong.append("not a till-journal=1 entry")
        if hashlib.sha256(data).hexdigest() != entry["hash"]:
            wrong.append("its bytes do not hash to its hash")
        try:
            key.verify(base64.b64decode(entry["signature"]), data, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            wrong.append("signature invalid")
        sale = int(fields["total"]) if fields["kind"] == "sale" else 0
        refund = int(fields["amount"]) if fields["kind"] in ("refund", "void", "return") else 0
        if previous is not None:
            if int(fields["seq"]) != previous["seq"] + 1:
                wrong.append(f"follows entry {previous['seq']}: entries are missing")
            if fields["prev"] != previous["hash"]:
                wrong.append("does not link to the entry before")
            if int(fields["gt_sales"]) != int(previous["gt_sales"]) + sale or int(fields["gt_refunds"]) != int(previous["gt_refunds"]) + refund:
                wrong.append("grand totals do not follow from the entry before")
        if int(fields["gt_net"]) != int(fields["gt_sales"]) - int(fields["gt_refunds"]):
            wrong.append("gt_net is not gt_sales - gt_refunds")
        for why in wrong:
            print(f"entry {entry['seq']}: {why}")
        problems += len(wrong)
        previous = {"seq": int(fields["seq"]), "hash": entry["hash"], "gt_sales": fields["gt_sales"], "gt_refunds": fields["gt_refunds"]}
    if problems:
        print(f"{problems} problem(s) in {count} entries")
        sys.exit(1)
    print(f"ok: {count} entries verified" + (f", last {previous['seq']} {previous['hash']}" if previous else ""))
    """#
}
