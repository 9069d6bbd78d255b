import Foundation
import Testing
@testable import TillCore

/// MT-SICS as the Mettler Toledo reference manuals print it (MT-SICS Interface Commands, Reference Manual,
/// "Response formats" and the S, SI, T, TA, TAC, Z, I4 commands): the examples below are the manuals' own, and
/// the forms every answer takes.
@Suite struct ScaleProtocolTests {
    @Test func commandsAreUpperCaseAndEndInCRLF() {
        #expect(MTSICS.Command.stableWeight.bytes == Array("S\r\n".utf8))
        #expect(MTSICS.Command.immediateWeight.text == "SI")
        #expect(MTSICS.Command.tare.text == "T")
        #expect(MTSICS.Command.tareQuery.text == "TA")
        #expect(MTSICS.Command.presetTare(milligrams: 15_000).text == "TA 15 g")
        #expect(MTSICS.Command.presetTare(milligrams: 12_500).text == "TA 12.5 g")
        #expect(MTSICS.Command.clearTare.text == "TAC")
        #expect(MTSICS.Command.zero.text == "Z")
        #expect(MTSICS.Command.serialNumber.bytes == Array("I4\r\n".utf8))
    }

    @Test func theManualsStableWeightExamples() {
        // "Command S — Response S S 100.00 g: the current stable weight value is 100.00 g."
        #expect(MTSICS.parse("S S     100.00 g", answering: .stableWeight) == .stable(milligrams: 100_000))
        #expect(MTSICS.parse("S S      1.234 kg", answering: .stableWeight) == .stable(milligrams: 1_234_000))
        #expect(MTSICS.parse("S S     -0.012 kg", answering: .stableWeight) == .stable(milligrams: -12_000))
        // "S I: command not executable"; "S +: balance in overload range"; "S -: in underload range".
        #expect(MTSICS.parse("S I", answering: .stableWeight) == .notExecutable)
        #expect(MTSICS.parse("S +", answering: .stableWeight) == .overload)
        #expect(MTSICS.parse("S -", answering: .stableWeight) == .underload)
    }

    @Test func immediateWeightSaysWhetherItIsMoving() {
        #expect(MTSICS.parse("S D      0.452 kg", answering: .immediateWeight) == .dynamic(milligrams: 452_000))
        #expect(MTSICS.parse("S S      0.450 kg", answering: .immediateWeight) == .stable(milligrams: 450_000))
        // `S` never answers dynamic: a D there is not an answer to it.
        #expect(MTSICS.parse("S D      0.452 kg", answering: .stableWeight) == nil)
    }

    @Test func tareZeroAndSerialNumber() {
        #expect(MTSICS.parse("T S      0.015 kg", answering: .tare) == .stable(milligrams: 15_000))
        #expect(MTSICS.parse("T I", answering: .tare) == .notExecutable)
        #expect(MTSICS.parse("TA A     15.00 g", answering: .tareQuery) == .stable(milligrams: 15_000))
        #expect(MTSICS.parse("TAC A", answering: .clearTare) == .done)
        #expect(MTSICS.parse("Z A", answering: .zero) == .done)
        #expect(MTSICS.parse("Z +", answering: .zero) == .overload)
        #expect(MTSICS.parse("I4 A \"0123456789\"", answering: .serialNumber) == .serialNumber("0123456789"))
    }

    @Test func errorsNoiseAndOtherUnits() {
        #expect(MTSICS.parse("ES", answering: .stableWeight) == .commandError("the scale did not understand S (ES)"))
        #expect(MTSICS.parse("ET", answering: .zero) == .commandError("the scale received Z garbled (ET)"))
        #expect(MTSICS.parse("EL", answering: .tare) == .commandError("the scale cannot do T (EL)"))
        #expect(MTSICS.parse("S S      1.000 lb", answering: .stableWeight) == .unsupportedUnit("lb"))
        // Not answers: noise, another command's answer, a half frame, a figure that is not one.
        for line in ["", "\u{02}#?@!x7", "T S      0.015 kg", "S S", "S S 1.2.3 kg", "S S  abc kg", "S X 1.000 kg", "Z A extra"] {
            #expect(MTSICS.parse(line, answering: line.hasPrefix("Z") ? .zero : .stableWeight) == nil, "\(line)")
        }
    }

    @Test func weightsAreExactMilligrams() {
        #expect(MTSICS.milligrams("0.4505", unit: .kg) == 450_500)
        #expect(MTSICS.milligrams("450.5", unit: .g) == 450_500)
        #expect(MTSICS.milligrams(".5", unit: .g) == 500)
        #expect(MTSICS.milligrams("1", unit: .kg) == 1_000_000)
        // Finer than a milligram: half towards zero.
        #expect(MTSICS.milligrams("0.0005", unit: .g) == 0)
        #expect(MTSICS.milligrams("0.0006", unit: .g) == 1)
        #expect(MTSICS.milligrams("-", unit: .g) == nil)
        #expect(MTSICS.milligrams("1e3", unit: .g) == nil)
        // A scale's milligrams become the till's grams (thousandths of a kg), half towards zero.
        #expect(Scale.grams(450_500) == 450)
        #expect(Scale.grams(450_501) == 451)
        #expect(Scale.grams(-450_501) == -451)
    }

    @Test func weightLinesAreFormattedAsAScaleSendsThem() {
        // "The weight value is right-aligned in 10 characters."
        #expect(MTSICS.weightLine(id: "S", status: "S", milligrams: 1_234_000) == "S S      1.234 kg")
        #expect(MTSICS.weightLine(id: "S", status: "S", milligrams: 100_000, unit: .g, decimals: 2) == "S S     100.00 g")
        #expect(MTSICS.weightLine(id: "S", status: "D", milligrams: -12_000) == "S D     -0.012 kg")
        // And read back as they were written.
        #expect(MTSICS.parse(MTSICS.weightLine(id: "S", status: "S", milligrams: 7_005_000), answering: .stableWeight)
                == .stable(milligrams: 7_005_000))
    }

    @Test func serialFramings() throws {
        #expect(try SerialFraming.parse("8N1") == SerialFraming.standard)
        #expect(try SerialFraming.parse("7e1") == SerialFraming(dataBits: 7, parity: .even, stopBits: 1))
        #expect(try SerialFraming.parse("7O2").description == "7O2")
        #expect(throws: TillError.invalid("\"9N1\" is not a serial framing: data bits 7 or 8, parity N, E or O, stop bits 1 or 2 (e.g. 8N1 or 7E1)")) {
            try SerialFraming.parse("9N1")
        }
    }
}
