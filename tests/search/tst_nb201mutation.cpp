// SPDX-License-Identifier: MIT
// The NB201 mutation of ageing evolution: every cell's 24 one-edge mutants, valid cells, symmetric, and served to the
// search command and the Search panel as neighbour lists (mutationNeighbours) over SearchSpace::mutants.
#include "spaces/nb201/mutation.h"
#include "spaces/nb201/space.h"
#include "spaces/spaces.h"

#include <QtTest>

#include <algorithm>
#include <optional>
#include <set>

using namespace epsinas;

class TestNb201Mutation : public QObject {
    Q_OBJECT

private slots:
    void everyCellHas24OneEdgeMutants();
    void everyCellOfTheSpaceHas24Neighbours();
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

void TestNb201Mutation::everyCellOfTheSpaceHas24Neighbours()
{
    // Over the whole space every mutant is a candidate: 24 neighbours each, and a neighbour's neighbour is the cell.
    const std::vector<Arch> all = *nb201::space().enumerate();
    const std::vector<std::vector<std::size_t>> neighbours
        = mutationNeighbours(nb201::space(), { all.begin(), all.end() });
    QCOMPARE(neighbours.size(), std::size_t(15625));
    for (std::size_t i = 0; i < neighbours.size(); ++i) {
        QCOMPARE(neighbours[i].size(), std::size_t(24));
        for (std::size_t j : neighbours[i]) {
            const std::vector<std::size_t>& back = neighbours[j];
            QVERIFY(std::find(back.begin(), back.end(), i) != back.end());
        }
    }
    // A candidate without an architecture has none, and is no one's.
    std::vector<std::optional<Arch>> some(all.begin(), all.begin() + 25);
    some[1].reset();
    const std::vector<std::vector<std::size_t>> partial = mutationNeighbours(nb201::space(), some);
    QVERIFY(partial[1].empty());
    for (const std::vector<std::size_t>& list : partial)
        QVERIFY(std::find(list.begin(), list.end(), std::size_t(1)) == list.end());
}

QTEST_GUILESS_MAIN(TestNb201Mutation)
#include "tst_nb201mutation.moc"
