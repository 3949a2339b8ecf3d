// SPDX-License-Identifier: MIT
// The NB201 mutation of ageing evolution: every cell's 24 one-edge mutants, valid cells, symmetric, and served to the
// search command through spaceMutants() over SearchSpace::mutants.
#include "spaces/nb201/mutation.h"
#include "spaces/nb201/space.h"
#include "spaces/spaces.h"

#include <QtTest>

#include <set>

using namespace epsinas;

class TestNb201Mutation : public QObject {
    Q_OBJECT

private slots:
    void everyCellHas24OneEdgeMutants();
    void theSpaceServesItsMutantsAsArchStrings();
};

void TestNb201Mutation::everyCellHas24OneEdgeMutants()
{
    std::vector<std::set<int>> mutantsOf(nb201::kCellCount);
    for (const nb201::Cell& cell : nb201::allCells()) {
        std::set<int>& indices = mutantsOf[std::size_t(cell.index())];
        for (const nb201::Cell& mutant : nb201::oneEdgeMutants(cell)) {
            int changed = 0;
            for (int edge = 0; edge < nb201::kEdgeCount; ++edge)
                changed += mutant.op(edge) != cell.op(edge) ? 1 : 0;
            QCOMPARE(changed, 1);
            // A valid cell: its string parses back to it.
            QCOMPARE(nb201::Cell::parse(mutant.toString()), mutant);
            indices.insert(mutant.index());
        }
        QCOMPARE(indices.size(), std::size_t(nb201::kMutantCount));
    }
    // One edge changed is undone by changing it back: b is a mutant of a exactly when a is one of b.
    for (int a = 0; a < nb201::kCellCount; ++a) {
        for (int b : mutantsOf[std::size_t(a)])
            QVERIFY(mutantsOf[std::size_t(b)].count(a));
    }
}

void TestNb201Mutation::theSpaceServesItsMutantsAsArchStrings()
{
    const ArchMutants mutants = spaceMutants(nb201::space());
    QVERIFY(mutants);
    const std::vector<std::string> strings
        = mutants("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
    QCOMPARE(strings.size(), std::size_t(24));
    QCOMPARE(strings.front(),
        std::string("|none~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"));
    QVERIFY_THROWS_EXCEPTION(ParseError, mutants("|conv~0|"));
}

QTEST_GUILESS_MAIN(TestNb201Mutation)
#include "tst_nb201mutation.moc"
