// SPDX-License-Identifier: MIT
#include "score/nb101internal.h"

namespace epsinas {

namespace detail {

std::vector<CellScore> Nb101EvaluatorBase::score(const std::vector<nb101::Spec>& specs, const RunControl& control)
{
    // Both evaluators build the pruned spec; checking here gives one error for a bad spec before any work.
    std::vector<nb101::Spec> pruned;
    pruned.reserve(specs.size());
    for (const nb101::Spec& spec : specs) {
        spec.validate();
        pruned.push_back(spec.pruned());
    }
    return ImageEvaluatorFrame::score(pruned, control);
}

} // namespace detail

std::unique_ptr<Nb101Evaluator> makeNb101Evaluator(const InputBatch& input, const ScoreOptions& options)
{
    if (options.evaluator == EvaluatorKind::Reference)
        return detail::makeNb101ReferenceEvaluator(input, options);
    return detail::makeNb101FastEvaluator(input, options);
}

} // namespace epsinas
