// SPDX-License-Identifier: MIT
#include "scoreworker.h"

#include "score/runtime.h"
#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <QElapsedTimer>
#include <QMutexLocker>
#include <QSet>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "store/resultstore.h"

namespace epsinas::gui {

namespace {
// Wall time one batch chunk should take: long enough to amortise the pass, short enough that a live edit
// queued behind it is served without a noticeable wait.
constexpr double kTargetChunkSeconds = 0.3;
// Largest chunk a batch step scores at once.
constexpr int kMaxChunk = 4096;
// Stored results are handed to the GUI in slices of this many rows, so the model grows in visible steps.
constexpr int kStoredSlice = 4096;

QString durationText(double seconds)
{
    if (seconds < 90)
        return ScoreWorker::tr("%n s", nullptr, std::max(1, int(seconds + 0.5)));
    if (seconds < 90 * 60)
        return ScoreWorker::tr("%n min", nullptr, int(seconds / 60 + 0.5));
    return ScoreWorker::tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
}

/** The short text the status bar names an architecture by: an NLP recipe by its id, when it has one. */
QString shortName(const ScoredCell& row)
{
    if (row.space != Space::Nlp)
        return row.arch();
    return row.recipeId.isEmpty() ? ScoreWorker::tr("the edited recipe")
                                  : ScoreWorker::tr("recipe %1").arg(row.recipeId);
}

/** Every NB201 cell, grouped by canonical form (the key its score is stored under). */
const std::unordered_map<std::string, std::vector<nb201::Cell>>& nb201CellsByCanonical()
{
    static const auto groups = [] {
        std::unordered_map<std::string, std::vector<nb201::Cell>> byCanonical;
        for (const nb201::Cell& cell : nb201::allCells())
            byCanonical[cell.canonical().toString()].push_back(cell);
        return byCanonical;
    }();
    return groups;
}

/**
 * The rows a stored score stands for when nobody asked for them: every NB201 cell of the canonical form, the
 * pruned NB101 spec, the NLP recipe (its id is not stored). A key that does not parse stands for nothing.
 */
ScoredCells rowsOfStoredKey(Space space, const std::string& key, const ArchScore& score)
{
    ScoredCells rows;
    try {
        switch (space) {
        case Space::Nb201: {
            const auto& groups = nb201CellsByCanonical();
            if (const auto group = groups.find(key); group != groups.end()) {
                for (const nb201::Cell& cell : group->second)
                    rows.push_back(ScoredCell::from(cell, score));
            }
            break;
        }
        case Space::Nb101:
            rows.push_back(ScoredCell::from(nb101::Spec::parse(key), score));
            break;
        case Space::Nlp:
            rows.push_back(ScoredCell::from(nlp::Recipe::parseJson(key), {}, score));
            break;
        }
    } catch (const std::exception&) {
        // A row written by another version or tool; it has no place in this table.
    }
    return rows;
}
} // namespace

/** The architecture a row holds, as the space-blind evaluators take it. */
Arch archOf(const ScoredCell& row)
{
    switch (row.space) {
    case Space::Nb101:
        return nb101::toArch(row.spec);
    case Space::Nlp:
        return nlp::toArch(row.recipe);
    case Space::Nb201:
        break;
    }
    return nb201::toArch(row.cell);
}

/** The evaluator of the config's space, for live requests (keeping outputs) or batches. */
struct ScoreWorker::Evaluators {
    std::unique_ptr<Evaluator> evaluator;

    explicit operator bool() const { return bool(evaluator); }

    /** Scores rows of the config's space in order; throws like the evaluators. */
    std::vector<ArchScore> score(const ScoredCell* first, const ScoredCell* last, const RunControl& control) const
    {
        std::vector<Arch> archs;
        for (const ScoredCell* row = first; row != last; ++row)
            archs.push_back(archOf(*row));
        return evaluator->score(archs, control);
    }
};

/** Everything that lives on the scoring thread and is rebuilt when the config changes. */
struct ScoreWorker::State {
    quint64 configVersion = 0;
    ScoringConfig config;
    /** The image batch of NB201 and NB101, or the token batch of NLP. */
    std::optional<InputBatch> input;
    std::optional<TokenBatch> tokens;
    Evaluators live;
    Evaluators batch;
    QString device;
    std::optional<ResultStore> store;
    RunKey runKey;

    /** The evaluator of the config's space under `options`; throws std::runtime_error like the evaluators. */
    Evaluators makeEvaluators(const ScoreOptions& options) const
    {
        const ScoringInput scoringInput = tokens ? ScoringInput::of(*tokens) : ScoringInput::of(*input);
        return Evaluators { spaceModule(config.space).makeEvaluator(scoringInput, options) };
    }

    std::string inputFingerprint() const { return tokens ? tokens->fingerprint() : input->fingerprint(); }
};

/**
 * A running batch. Architectures that compute the same function (NB201 cells of one canonical form, spec §9.1;
 * NB101 specs that prune to the same spec; identical NLP recipes) share a score, so one representative per function
 * is scored and its result is handed out to every member.
 */
struct ScoreWorker::BatchJob {
    quint64 id = 0;
    QString title;
    Space space = Space::Nb201;
    std::vector<ScoredCell> representatives;
    /** The rows still waiting for a score, by function key. */
    std::unordered_map<std::string, ScoredCells> members;
    std::size_t next = 0;
    int total = 0;
    int done = 0;
    int chunk = 1;
    double scoringSeconds = 0;
    std::size_t scoredRepresentatives = 0;
};

ScoreWorker::ScoreWorker(std::shared_ptr<ScoringMailbox> mailbox)
    : m_mailbox(std::move(mailbox))
    , m_state(std::make_unique<State>())
{
}

ScoreWorker::~ScoreWorker() = default;

QString ScoreWorker::ensureReady()
{
    ScoringConfig config;
    quint64 version = 0;
    {
        QMutexLocker lock(&m_mailbox->mutex);
        config = m_mailbox->config;
        version = m_mailbox->configVersion;
    }
    if (version == m_state->configVersion && m_state->live)
        return {};

    // Drop the old state first: it may hold device memory the new one needs.
    m_state = std::make_unique<State>();
    m_state->configVersion = version;
    m_state->config = config;
    const bool cuda = config.options.device == Device::Cuda;
    try {
        if (config.space == Space::Nlp) {
            const TokenSpec tokens = config.tokenSpec();
            Q_EMIT activityChanged(tr("Loading input %1").arg(QString::fromStdString(tokens.toString())));
            m_state->tokens = TokenBatch::load(tokens);
        } else {
            Q_EMIT activityChanged(tr("Loading input %1").arg(QString::fromStdString(config.input.toString())));
            m_state->input = InputBatch::load(config.input);
        }
        setCpuThreads(config.options.threads);
        ScoreOptions options = config.options;
        options.keepOutputs = true;
        m_state->live = m_state->makeEvaluators(options);
    } catch (const std::exception& error) {
        m_state->live = {};
        Q_EMIT activityChanged({});
        return QString::fromStdString(error.what());
    }
    m_state->device = QString::fromStdString(deviceDescription(cuda));
    Q_EMIT deviceChanged(m_state->device);

    m_state->runKey = RunKey { spaceKey(config.space).toStdString(), m_state->inputFingerprint(),
        toString(config.options.weights), toString(config.options.precision), toString(config.options.evaluator) };
    if (!config.storePath.isEmpty()) {
        try {
            m_state->store = ResultStore::open(config.storePath.toStdString());
        } catch (const std::exception& error) {
            Q_EMIT warning(tr("Scores will not be kept: %1").arg(QString::fromStdString(error.what())));
        }
    }
    return {};
}

void ScoreWorker::storeResults(const std::vector<std::string>& cells, const std::vector<ArchScore>& scores)
{
    if (!m_state->store)
        return;
    std::vector<StoredScore> rows;
    rows.reserve(cells.size());
    for (std::size_t i = 0; i < cells.size() && i < scores.size(); ++i) {
        rows.push_back(StoredScore { cells[i], scores[i].score, scores[i].mae, scores[i].mean, scores[i].nanReason });
    }
    try {
        m_state->store->write(m_state->runKey, rows);
    } catch (const std::exception& error) {
        Q_EMIT warning(tr("Scores will not be kept: %1").arg(QString::fromStdString(error.what())));
        m_state->store.reset();
    }
}

void ScoreWorker::serveLive()
{
    m_mailbox->wakePending = false;
    quint64 generation = 0;
    ScoredCell request;
    {
        QMutexLocker lock(&m_mailbox->mutex);
        generation = m_mailbox->requestGeneration;
        request = m_mailbox->request;
    }
    // Served already (e.g. a wake-up that raced with the previous one), or overtaken by a newer edit.
    if (generation == 0 || generation == m_lastServed || generation != m_mailbox->liveGeneration)
        return;
    m_lastServed = generation;

    if (const QString error = ensureReady(); !error.isEmpty()) {
        Q_EMIT scoringFailed(generation, error);
        return;
    }
    if (request.space != m_state->config.space) {
        Q_EMIT scoringFailed(generation,
            tr("A %1 cell cannot be scored while the settings are for %2")
                .arg(spaceName(request.space), spaceName(m_state->config.space)));
        return;
    }
    Q_EMIT activityChanged(tr("Scoring %1").arg(shortName(request)));
    RunControl control;
    control.isCancelled = [this, generation] { return m_mailbox->abort || generation != m_mailbox->liveGeneration; };
    QElapsedTimer clock;
    clock.start();
    try {
        std::vector<ArchScore> scores = m_state->live.score(&request, &request + 1, control);
        storeResults({ request.functionKey() }, scores);
        ScoreResult result;
        result.generation = generation;
        result.cell = request.cell;
        result.score = std::move(scores.front());
        result.milliseconds = clock.nsecsElapsed() / 1e6;
        result.device = m_state->device;
        result.space = request.space;
        result.spec = request.spec;
        result.recipe = request.recipe;
        Q_EMIT scoreReady(result);
    } catch (const Cancelled&) {
        // A newer request replaced this one; it has its own wake-up queued.
    } catch (const std::exception& error) {
        Q_EMIT scoringFailed(generation, QString::fromStdString(error.what()));
    }
    Q_EMIT activityChanged({});
}

bool ScoreWorker::batchCancelled(quint64 id) const
{
    return m_mailbox->abort || id != m_mailbox->batchId;
}

void ScoreWorker::startBatch(quint64 id, const QString& title, const ScoredCells& rows, bool includeStored)
{
    m_job.reset();
    if (batchCancelled(id)) {
        Q_EMIT batchFinished(id, true);
        return;
    }
    if (const QString error = ensureReady(); !error.isEmpty()) {
        Q_EMIT batchFailed(id, error);
        return;
    }
    const Space space = m_state->config.space;
    auto job = std::make_unique<BatchJob>();
    job->id = id;
    job->title = title;
    job->space = space;
    QSet<QString> wanted;
    for (const ScoredCell& row : rows) {
        if (row.space != space) {
            Q_EMIT batchFailed(id,
                tr("%1 cells cannot be scored while the settings are for %2")
                    .arg(spaceName(row.space), spaceName(space)));
            return;
        }
        const QString key = row.key();
        if (wanted.contains(key))
            continue;
        wanted.insert(key);
        ++job->total;
        ScoredCells& group = job->members[row.functionKey()];
        if (group.isEmpty())
            job->representatives.push_back(row);
        group.push_back(row);
    }
    deliverStored(*job, includeStored);
    launchBatch(std::move(job));
}

void ScoreWorker::deliverStored(BatchJob& job, bool includeStored)
{
    if (!m_state->store)
        return;
    Q_EMIT activityChanged(tr("Reading stored scores"));
    ScoredCells found;
    try {
        for (const StoredScore& row : m_state->store->all(m_state->runKey)) {
            ArchScore score;
            score.score = row.score;
            score.mae = row.mae;
            score.mean = row.mean;
            score.nanReason = row.nanReason;
            const auto members = job.members.find(row.cell);
            if (members == job.members.end()) {
                if (includeStored)
                    found += rowsOfStoredKey(job.space, row.cell, score);
                continue;
            }
            QSet<QString> asked;
            for (const ScoredCell& member : members->second) {
                ScoredCell scored = member;
                scored.score = score.score;
                scored.mae = score.mae;
                scored.mean = score.mean;
                scored.nanReason = QString::fromStdString(score.nanReason);
                asked.insert(scored.key());
                found.push_back(std::move(scored));
            }
            job.done += int(members->second.size());
            job.members.erase(members);
            // The score stands for rows nobody asked for too (the other NB201 cells of the form). Not so for NLP:
            // its stored rows carry no id, and an id-less twin of a recipe asked for under its id is no new row.
            if (includeStored && job.space != Space::Nlp) {
                for (ScoredCell& other : rowsOfStoredKey(job.space, row.cell, score)) {
                    if (!asked.contains(other.key()))
                        found.push_back(std::move(other));
                }
            }
        }
    } catch (const std::exception& error) {
        Q_EMIT warning(tr("Stored scores could not be read: %1").arg(QString::fromStdString(error.what())));
    }
    for (qsizetype first = 0; first < found.size(); first += kStoredSlice)
        Q_EMIT batchChunkReady(job.id, found.mid(first, kStoredSlice));
    job.representatives.erase(std::remove_if(job.representatives.begin(), job.representatives.end(),
                                  [&](const ScoredCell& row) { return !job.members.count(row.functionKey()); }),
        job.representatives.end());
}

void ScoreWorker::launchBatch(std::unique_ptr<BatchJob> job)
{
    const quint64 id = job->id;
    if (job->representatives.empty()) {
        Q_EMIT batchProgress(
            id, 1000, tr("%1: all %L2 %3 were stored").arg(job->title).arg(job->total).arg(unitName(job->space)));
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, false);
        return;
    }
    ScoreOptions options = m_state->config.options;
    options.keepOutputs = false;
    try {
        if (!m_state->batch)
            m_state->batch = m_state->makeEvaluators(options);
    } catch (const std::exception& error) {
        Q_EMIT batchFailed(id, QString::fromStdString(error.what()));
        return;
    }
    // Start small to measure the speed; runBatchStep grows chunks towards kTargetChunkSeconds. Only NB201 has a
    // batched GPU form worth a large first chunk.
    const bool nb201 = job->space == Space::Nb201;
    job->chunk = m_state->config.options.device == Device::Cuda ? (nb201 ? 256 : 16) : (nb201 ? 4 : 1);
    Q_EMIT batchProgress(id, job->total ? 1000 * job->done / job->total : 0,
        tr("%1: %L2 of %L3 %4").arg(job->title).arg(job->done).arg(job->total).arg(unitName(job->space)));
    m_job = std::move(job);
    QMetaObject::invokeMethod(this, &ScoreWorker::runBatchStep, Qt::QueuedConnection);
}

void ScoreWorker::runBatchStep()
{
    if (!m_job)
        return;
    BatchJob& job = *m_job;
    const quint64 id = job.id;
    if (batchCancelled(id)) {
        m_job.reset();
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, true);
        return;
    }
    // The config may have changed between steps; the service cancels the batch then, but be safe.
    if (const QString error = ensureReady(); !error.isEmpty() || !m_state->batch) {
        m_job.reset();
        Q_EMIT batchFailed(id, error.isEmpty() ? tr("The scoring settings changed") : error);
        return;
    }

    const std::size_t count = job.representatives.size();
    const std::size_t end = std::min(count, job.next + std::size_t(job.chunk));
    const ScoredCell* first = job.representatives.data() + job.next;
    const ScoredCell* last = job.representatives.data() + end;
    Q_EMIT activityChanged(tr("%1 on %2").arg(job.title, m_state->device));
    RunControl control;
    control.isCancelled = [this, id] { return batchCancelled(id); };
    QElapsedTimer clock;
    clock.start();
    std::vector<ArchScore> scores;
    try {
        scores = m_state->batch.score(first, last, control);
    } catch (const Cancelled&) {
        m_job.reset();
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, true);
        return;
    } catch (const std::exception& error) {
        m_job.reset();
        Q_EMIT activityChanged({});
        Q_EMIT batchFailed(id, QString::fromStdString(error.what()));
        return;
    }
    const double seconds = clock.nsecsElapsed() / 1e9;
    job.scoringSeconds += seconds;
    job.scoredRepresentatives += end - job.next;
    job.next = end;
    const double perCell = job.scoringSeconds / double(job.scoredRepresentatives);
    job.chunk = std::clamp(int(kTargetChunkSeconds / std::max(perCell, 1e-6)), 1, kMaxChunk);

    std::vector<std::string> keys;
    ScoredCells delivered;
    for (std::size_t i = 0; first + i != last; ++i) {
        keys.push_back(first[i].functionKey());
        const auto members = job.members.find(keys.back());
        if (members == job.members.end())
            continue;
        for (const ScoredCell& member : members->second) {
            ScoredCell scored = member;
            scored.score = scores[i].score;
            scored.mae = scores[i].mae;
            scored.mean = scores[i].mean;
            scored.nanReason = QString::fromStdString(scores[i].nanReason);
            delivered.push_back(std::move(scored));
        }
        job.members.erase(members);
    }
    storeResults(keys, scores);
    job.done += delivered.size();
    Q_EMIT batchChunkReady(id, delivered);

    const std::size_t left = count - job.next;
    if (left == 0) {
        Q_EMIT batchProgress(id, 1000, tr("%1: %L2 %3 scored").arg(job.title).arg(job.total).arg(unitName(job.space)));
        m_job.reset();
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, false);
        return;
    }
    Q_EMIT batchProgress(id, int(1000LL * job.done / std::max(1, job.total)),
        tr("%1: %L2 of %L3 %4, about %5 left")
            .arg(job.title)
            .arg(job.done)
            .arg(job.total)
            .arg(unitName(job.space), durationText(perCell * double(left))));
    QMetaObject::invokeMethod(this, &ScoreWorker::runBatchStep, Qt::QueuedConnection);
}

} // namespace epsinas::gui
