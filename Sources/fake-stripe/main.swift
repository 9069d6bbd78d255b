import Foundation
import TillFakeStripe

// `fake-stripe`: the fake Stripe API on 127.0.0.1 until killed, so Till can be tried against a "reader" by hand:
//
//     fake-stripe --port 12111 --key sk_test_fake --reader tmr_fake_1 --auto approve
//     TILL_STRIPE_API_BASE=http://127.0.0.1:12111 TILL_STRIPE_SECRET_KEY=sk_test_fake till …
//
// Without --auto nobody plays the customer: POST /v1/test_helpers/terminal/readers/ID/present_payment_method
// (with outcome=approve|decline:CODE|cancel) does, and POST /_fake/faults switches faults on.

let usage = """
    usage: fake-stripe [--port N] [--key sk_test_…] [--reader tmr_…]… [--auto approve|decline:CODE|cancel] [--auto-after-ms N]
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("fake-stripe: \(message)\n\(usage)\n".utf8))
    exit(2)
}

// A parent that starts this from a thread with signals blocked (Foundation's Process from a Dispatch worker does)
// passes the mask on, and SIGTERM would then never stop the fake: unblock what stops a program.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&stopSignals, signal) }
pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)

var port = 0
var key = "sk_test_fake_till"
var readers: [String] = []
var auto: FakeCardOutcome?
var autoAfter = 0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    func value() -> String {
        guard let next = arguments.next() else { fail("\(argument) needs a value") }
        return next
    }
    switch argument {
    case "--port":
        guard let number = Int(value()), (0...65_535).contains(number) else { fail("--port takes a number 0-65535") }
        port = number
    case "--key":
        key = value()
        guard key.hasPrefix("sk_") else { fail("--key takes a secret key starting sk_") }
    case "--reader":
        let reader = value()
        guard reader.hasPrefix("tmr_") else { fail("--reader takes an id starting tmr_") }
        readers.append(reader)
    case "--auto":
        let text = value()
        guard let outcome = FakeCardOutcome(argument: text) else { fail("--auto takes approve, decline:CODE or cancel, not \(text)") }
        auto = outcome
    case "--auto-after-ms":
        guard let number = Int(value()), number >= 0 else { fail("--auto-after-ms takes milliseconds") }
        autoAfter = number
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        fail("unknown argument \(argument)")
    }
}

do {
    let fake = try FakeStripe.start(apiKey: key, port: port)
    for reader in readers.isEmpty ? ["tmr_fake_1"] : readers { fake.addReader(id: reader, label: "Fake reader \(reader)") }
    if let auto { fake.faults.autoPresent = .init(auto, afterMilliseconds: autoAfter) }
    let names = (readers.isEmpty ? ["tmr_fake_1"] : readers).joined(separator: ", ")
    // Written unbuffered: a script reading the first line learns the URL while the fake runs on.
    FileHandle.standardOutput.write(Data("fake-stripe listening on \(fake.baseURL) (readers: \(names))\n".utf8))
    while true { sleep(3600) }
} catch {
    fail("cannot start: \(error)")
}
