// SPDX-License-Identifier: MIT
#include "spaces/nb201/mutation.h"

namespace epsinas::nb201 {

std::vector<Cell> oneEdgeMutants(const Cell& cell)
{
    std::vector<Cell> mutants;
    mutants.reserve(kMutantCount);
    for (int edge = 0; edge < kEdgeCount; ++edge) {
        for (Op op : kAllOps) {
            if (op == cell.op(edge))
                continue;
            Cell mutant = cell;
            mutant.setOp(edge, op);
            mutants.push_back(mutant);
        }
    }
    return mutants;
}

} // namespace epsinas::nb201
