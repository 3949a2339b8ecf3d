// SPDX-License-Identifier: MIT
#include "run/batch.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace epsinas::run {

RunKey runKey(const SearchSpace& space, const ScoringInput& input, const ScoreOptions& options)
{
    return RunKey { space.key(), input.fingerprint(), toString(options.weights), toString(options.precision),
        toString(options.evaluator) };
}

StoredScore toStored(const std::string& key, const ArchScore& score)
{
    return StoredScore { key, score.score, score.mae, score.mean, score.nanReason };
}

ArchScore fromStored(const StoredScore& stored)
{
    ArchScore score;
    score.score = stored.score;
    score.mae = stored.mae;
    score.mean = stored.mean;
    score.nanReason = stored.nanReason;
    return score;
}

Batch::Batch(const std::vector<Arch>& archs)
{
    std::unordered_map<std::string, std::size_t> formByKey;
    m_formOf.reserve(archs.size());
    for (std::size_t i = 0; i < archs.size(); ++i) {
        const SearchSpace& space = archs[i].space();
        std::string key = space.functionKey(archs[i]);
        const auto [found, added] = formByKey.emplace(key, m_forms.size());
        if (added) {
            m_forms.push_back(Form { std::move(key), space.canonical(archs[i]), false, {} });
            m_members.emplace_back();
            m_pending.push_back(found->second);
        }
        m_formOf.push_back(found->second);
        m_members[found->second].push_back(i);
    }
}

std::vector<std::size_t> Batch::takeStored(const ResultStore& store, const RunKey& key)
{
    std::vector<std::string> keys;
    for (std::size_t i = m_nextPending; i < m_pending.size(); ++i)
        keys.push_back(m_forms[m_pending[i]].key);
    const auto stored = store.lookup(key, keys);
    std::vector<std::size_t> taken, left;
    for (std::size_t i = m_nextPending; i < m_pending.size(); ++i) {
        Form& form = m_forms[m_pending[i]];
        const auto found = stored.find(form.key);
        if (found == stored.end()) {
            left.push_back(m_pending[i]);
            continue;
        }
        form.scored = true;
        form.score = fromStored(found->second);
        taken.push_back(m_pending[i]);
    }
    m_pending = std::move(left);
    m_nextPending = 0;
    return taken;
}

std::vector<std::size_t> Batch::scoreNext(Evaluator& evaluator, std::size_t count, const RunControl& control)
{
    const std::size_t end = std::min(m_pending.size(), m_nextPending + std::max<std::size_t>(count, 1));
    const std::vector<std::size_t> chunk(m_pending.begin() + static_cast<std::ptrdiff_t>(m_nextPending),
        m_pending.begin() + static_cast<std::ptrdiff_t>(end));
    std::vector<Arch> archs;
    archs.reserve(chunk.size());
    for (std::size_t form : chunk)
        archs.push_back(m_forms[form].arch);
    std::vector<ArchScore> scores = evaluator.score(archs, control);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
        m_forms[chunk[i]].scored = true;
        m_forms[chunk[i]].score = std::move(scores[i]);
    }
    m_nextPending = end;
    return chunk;
}

void Batch::write(const std::vector<std::size_t>& forms, ResultStore& store, const RunKey& key) const
{
    std::vector<StoredScore> rows;
    rows.reserve(forms.size());
    for (std::size_t form : forms)
        rows.push_back(toStored(m_forms[form].key, m_forms[form].score));
    store.write(key, rows);
}

std::vector<Arch> membersOfStoredForm(const SearchSpace& space, const std::string& key)
{
    // Grouping an enumerable space by function key costs a second or so, and enumerating it alone allocates every
    // architecture: both happen once per space, the first time it is asked about (nullopt: not enumerable).
    using Groups = std::unordered_map<std::string, std::vector<Arch>>;
    static std::mutex mutex;
    static std::map<const SearchSpace*, std::optional<Groups>> groupsBySpace;
    {
        const std::lock_guard<std::mutex> lock(mutex);
        auto [entry, added] = groupsBySpace.try_emplace(&space);
        if (added) {
            if (const std::optional<std::vector<Arch>> all = space.enumerate()) {
                Groups& groups = entry->second.emplace();
                for (const Arch& arch : *all)
                    groups[space.functionKey(arch)].push_back(arch);
            }
        }
        if (const std::optional<Groups>& groups = entry->second) {
            const auto group = groups->find(key);
            return group == groups->end() ? std::vector<Arch> {} : group->second;
        }
    }
    try {
        return { space.parse(key) };
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace epsinas::run
