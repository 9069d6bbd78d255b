import Foundation
import TillTestSupport

// `fake-printer [--port N]`: the tests' fake receipt printer as a program, on 127.0.0.1, to try Till's printing by
// hand (`till printer set main tcp://127.0.0.1:N`). Type a state on standard input to change it: ready, paper-out,
// cover-open, paper-low, silent, drop (the next job's connection is dropped after 64 bytes), refuse, accept, show
// (what it has printed so far), quit.
var port: UInt16 = 9100
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--port", let value = arguments.popFirst().flatMap(UInt16.init) {
        port = value
    } else {
        FileHandle.standardError.write(Data("usage: fake-printer [--port N]\n".utf8))
        exit(2)
    }
}
let printer: FakeReceiptPrinter
do {
    printer = try FakeReceiptPrinter(port: port)
} catch {
    FileHandle.standardError.write(Data("fake-printer: \(error)\n".utf8))
    exit(1)
}
print("fake receipt printer at \(printer.address) — ready (type: ready, paper-out, cover-open, paper-low, silent, drop, refuse, accept, show, quit)")
while let line = readLine()?.trimmingCharacters(in: .whitespaces) {
    switch line {
    case "ready": printer.state = .ready
    case "paper-out": printer.state = .paperOut
    case "cover-open": printer.state = .coverOpen
    case "paper-low": printer.state = .paperNearEnd
    case "silent": printer.state = .silent
    case "drop": printer.dropConnection(afterBytes: 64)
    case "refuse": printer.refuseConnections()
    case "accept": try? printer.acceptConnections()
    case "show": print(printer.receivedText)
    case "quit": exit(0)
    case "": continue
    default: print("unknown: \(line)")
    }
    print("now: \(printer.state)")
}
