// SPDX-License-Identifier: MIT
#pragma once

#include "cli/arguments.h"
#include "cli/progress.h"
#include "score/nb201evaluator.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace epsinas::cli {

/** What identifies a scoring run in a result store, and where that store is (empty: no store). */
struct ScoringRun {
    std::string space;
    std::string inputFingerprint;
    ScoreOptions options;
    std::string storePath;
    /** Forms per evaluator call and per store transaction: an interrupted run loses at most one chunk. */
    std::size_t chunkSize = 256;
};

/**
 * --store: empty when not given. A given name that is no file (empty, ":memory:", a "file:" URI) is a UsageError, so
 * that a run never seems to store what it keeps nowhere.
 */
std::string storeOption(const Arguments& args);

/**
 * Every file a score run reads or keeps, which its --out must never replace: `inputs` (the files of --input; empty
 * entries are ignored), each --arch-file and --recipe-file, and the --store database with its journal files.
 */
std::vector<std::string> runFiles(const Arguments& args, const std::vector<std::string>& inputs);

/** Scores the forms at the given positions of the request; one result per position, in order. */
using ScoreForms = std::function<std::vector<CellScore>(const std::vector<std::size_t>& positions, const RunControl&)>;

/**
 * The part of `epsinas score` every space shares: takes the distinct forms (by key) from the store where present,
 * scores the rest chunk by chunk, writes each chunk to the store in one transaction. The first Ctrl-C or SIGTERM
 * asks the evaluator to stop (between chunks, and inside a reference architecture); a second one ends the process at
 * once with status 130, removing the CSV's temporary (the store keeps its committed chunks: SQLite transactions).
 * Returns the score of every key, or nothing when interrupted (after telling the user).
 */
std::optional<std::map<std::string, CellScore>> scoreDistinct(const std::vector<std::string>& keys,
    const ScoringRun& run, const ScoreForms& score, ProgressReporter& progress, std::size_t& computed);

/**
 * The distinct forms of a request in first-seen order, each under its store key: what scoreDistinct scores. Each
 * space adds the form that stands for an architecture's function (canonical NB201 cell, pruned NB101 spec, NLP
 * recipe); the CSV then looks every requested architecture's score up by its key.
 */
template <typename Form> class DistinctForms {
public:
    /** Adds `form` under `key` unless a form with that key is there already. */
    void add(std::string key, Form form)
    {
        if (!m_seen.insert(key).second)
            return;
        m_keys.push_back(std::move(key));
        m_forms.push_back(std::move(form));
    }
    std::size_t size() const { return m_forms.size(); }

    /**
     * scoreDistinct over these forms with `evaluator` (anything with score(std::vector<Form>, RunControl));
     * `computed` counts the forms computed rather than read from the store.
     */
    template <typename Evaluator>
    std::optional<std::map<std::string, CellScore>> score(
        Evaluator& evaluator, const ScoringRun& run, ProgressReporter& progress, std::size_t& computed) const
    {
        return scoreDistinct(
            m_keys, run,
            [&](const std::vector<std::size_t>& positions, const RunControl& control) {
                std::vector<Form> chunk;
                chunk.reserve(positions.size());
                for (std::size_t position : positions)
                    chunk.push_back(m_forms[position]);
                return evaluator.score(chunk, control);
            },
            progress, computed);
    }

private:
    std::set<std::string> m_seen;
    std::vector<std::string> m_keys;
    std::vector<Form> m_forms;
};

} // namespace epsinas::cli
