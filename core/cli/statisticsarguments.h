// SPDX-License-Identifier: MIT
// The options that choose a correlation's statistics, read alike by `epsinas correlate` and `epsinas compare`.
#pragma once

#include "cli/arguments.h"

#include "space/searchspace.h"
#include "stats/statistics.h"

#include <string>

namespace epsinas::cli {

/** The statistics a command computes: the options of correlate() and the space whose reference they follow. */
struct StatisticsChoice {
    CorrelationOptions options;
    /** Whose compute_stats decides which scores count, and how the tables' arch columns are read. */
    const SearchSpace* space = nullptr;
    StatisticsReference reference;
    /** The reference of a compute_stats that ranks losses, for describeVariant(). */
    StatisticsReference lossReference;
};

/**
 * Reads --lower-is-better, --space, --top-sets and --t10-denominator, and --nan when `readsNanPolicy` (else NaN
 * scores are excluded, the paper's statistics); throws UsageError naming the option for a value it does not accept.
 */
StatisticsChoice statisticsChoice(const Arguments& args, bool readsNanPolicy);

/** The usage lines of --lower-is-better, --space (every space with its score rule) and --top-sets, --t10-denominator.
 */
std::string statisticsUsage();

/** What T10/T10 divides by under `options`, in words. */
std::string t10DenominatorText(const CorrelationOptions& options);

} // namespace epsinas::cli
