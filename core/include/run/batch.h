// SPDX-License-Identifier: MIT
#pragma once

#include "space/evaluator.h"
#include "space/scoringinput.h"
#include "space/searchspace.h"
#include "store/resultstore.h"
#include "store/shard.h"

#include <cstddef>
#include <string>
#include <vector>

namespace epsinas::run {

/**
 * The store key of a run: everything that decides a score except the architecture (space, input, weights,
 * precision, evaluator). The CLI and the explorer both build it here, so they share stored scores.
 */
RunKey runKey(const SearchSpace& space, const ScoringInput& input, const ScoreOptions& options);

/** Scores as the store keeps them (no raw outputs), and back. */
StoredScore toStored(const std::string& key, const ArchScore& score);
ArchScore fromStored(const StoredScore& stored);

/**
 * One batch of a scoring run, the pipeline the CLI and the explorer's worker share. Architectures that compute
 * the same function (one function key, SearchSpace::functionKey) share a score, so each distinct form is scored
 * once: stored scores are taken first, then the rest chunk by chunk, each chunk written to the store in one
 * transaction, so an interrupted run loses at most one chunk. Drive it a chunk at a time (scoreNext), which lets
 * the explorer serve live requests between chunks and the CLI stop on Ctrl-C.
 */
class Batch {
public:
    /** One distinct form: its store key and the architecture that is scored (the space's canonical form). */
    struct Form {
        std::string key;
        Arch arch;
        bool scored = false;
        ArchScore score;
    };

    /** The forms of `archs` in first-seen order; all of one space. */
    explicit Batch(const std::vector<Arch>& archs);

    const std::vector<Form>& forms() const { return m_forms; }
    /** The form of the i-th architecture given to the constructor. */
    const Form& formOf(std::size_t i) const { return m_forms[m_formOf[i]]; }
    /** Indices of the architectures given to the constructor whose form is `form`. */
    const std::vector<std::size_t>& members(std::size_t form) const { return m_members[form]; }
    /** Forms not scored yet. */
    std::size_t pending() const { return m_pending.size() - m_nextPending; }

    /** Marks the forms `store` holds under `key` as scored; returns their indices. */
    std::vector<std::size_t> takeStored(const ResultStore& store, const RunKey& key);
    /**
     * Scores the next (up to) `count` pending forms with `evaluator`; returns their indices. Cancellation throws
     * Cancelled (from the evaluator) and leaves those forms pending; evaluator errors propagate the same way.
     */
    std::vector<std::size_t> scoreNext(Evaluator& evaluator, std::size_t count, const RunControl& control);
    /** Writes the scores of `forms` to `store` under `key` in one transaction (StoreError when it fails). */
    void write(const std::vector<std::size_t>& forms, ResultStore& store, const RunKey& key) const;

private:
    std::vector<Form> m_forms;
    std::vector<std::size_t> m_formOf;
    std::vector<std::vector<std::size_t>> m_members;
    /** Forms to score, in order; those before m_nextPending are done. */
    std::vector<std::size_t> m_pending;
    std::size_t m_nextPending = 0;
};

/**
 * The architectures a stored form stands for when nobody asked for it: for an enumerable space every
 * architecture with that function key, otherwise the form itself. A key that does not parse (written by another
 * version) stands for nothing.
 */
std::vector<Arch> membersOfStoredForm(const SearchSpace& space, const std::string& key);

/** The items at the positions of `shard`, in order. */
template <typename Item> std::vector<Item> shardSlice(std::vector<Item> items, const Shard& shard)
{
    std::vector<Item> slice;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (shard.contains(i))
            slice.push_back(std::move(items[i]));
    return slice;
}

} // namespace epsinas::run
