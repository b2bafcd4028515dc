import Testing
@testable import SpearReport

@Suite("Periods")
struct PeriodTests {
    let march = YearMonth(year: 2019, month: 3)
    let october = YearMonth(year: 2019, month: 10)

    @Test func keys() {
        #expect(Period(containing: march, granularity: .month).key == "2019-03")
        #expect(Period(containing: march, granularity: .quarter).key == "2019-Q1")
        #expect(Period(containing: october, granularity: .quarter).key == "2019-Q4")
        #expect(Period(containing: march, granularity: .half).key == "2019-H1")
        #expect(Period(containing: YearMonth(year: 2019, month: 7), granularity: .half).key == "2019-H2")
        #expect(Period(containing: YearMonth(year: 2019, month: 6), granularity: .half).key == "2019-H1")
        #expect(Period(containing: october, granularity: .year).key == "2019")
        #expect(Period.unknown(.month).key == "unknown")
    }

    @Test func japaneseLabels() {
        #expect(Period(containing: march, granularity: .month).label(.ja) == "2019年3月")
        #expect(Period(containing: march, granularity: .quarter).label(.ja) == "2019年第1四半期")
        #expect(Period(containing: march, granularity: .half).label(.ja) == "2019年上半期")
        #expect(Period(containing: october, granularity: .half).label(.ja) == "2019年下半期")
        #expect(Period(containing: october, granularity: .year).label(.ja) == "2019年")
        #expect(Period.unknown(.half).label(.ja) == "不明")
        #expect(Period(containing: march, granularity: .half).label(.en) == "2019-H1")
    }

    @Test func orderAndSuccession() {
        let dec = Period(containing: YearMonth(year: 2019, month: 12), granularity: .month)
        #expect(dec.next.key == "2020-01")
        #expect(Period(containing: october, granularity: .quarter).next.key == "2020-Q1")
        #expect(Period(containing: october, granularity: .half).next.key == "2020-H1")
        #expect(Period(containing: october, granularity: .year).next.key == "2020")
        let unknown = Period.unknown(.month)
        #expect(dec < dec.next)
        #expect(dec.next < unknown)
        #expect(!(unknown < dec))
        #expect([unknown, dec.next, dec].sorted().map(\.key) == ["2019-12", "2020-01", "unknown"])
    }
}
