// SPDX-License-Identifier: MIT
#include "scoreworker.h"

#include "score/nb101evaluator.h"
#include "score/runtime.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLocale>
#include <QMutexLocker>
#include <QSet>

#include <algorithm>
#include <optional>
#include <unordered_map>

#ifdef EPSINAS_HAVE_STORE
#include "store/resultstore.h"
#endif

namespace epsinas::gui {

namespace {
// Wall time one batch chunk should take: long enough to amortise the pass, short enough that a live edit
// queued behind it is served without a noticeable wait.
constexpr double kTargetChunkSeconds = 0.3;
// Largest chunk a batch step scores at once.
constexpr int kMaxChunk = 4096;
// Stored results are handed to the GUI in slices of this many rows, so the model grows in visible steps.
constexpr int kStoredSlice = 4096;

QString archText(const nb201::Cell& cell)
{
    return QString::fromStdString(cell.toString());
}

QString archText(const nb101::Spec& spec)
{
    return QString::fromStdString(spec.toString());
}

QString durationText(double seconds)
{
    if (seconds < 90)
        return ScoreWorker::tr("%n s", nullptr, std::max(1, int(seconds + 0.5)));
    if (seconds < 90 * 60)
        return ScoreWorker::tr("%n min", nullptr, int(seconds / 60 + 0.5));
    return ScoreWorker::tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
}
} // namespace

/** Everything that lives on the scoring thread and is rebuilt when the config changes. */
struct ScoreWorker::State {
    quint64 configVersion = 0;
    ScoringConfig config;
    std::optional<InputBatch> input;
    std::unique_ptr<Nb201Evaluator> live;
    std::unique_ptr<Nb201Evaluator> batch;
    std::unique_ptr<Nb101Evaluator> live101;
    std::unique_ptr<Nb101Evaluator> batch101;
    QString device;
#ifdef EPSINAS_HAVE_STORE
    std::optional<ResultStore> store;
    RunKey runKey;
#endif
};

/**
 * A running batch. Cells with the same canonical form compute the same function (spec §9.1), so only one
 * representative per form is scored and its result is handed out to every member. An NB101 batch does the same
 * with specs that prune to the same spec.
 */
struct ScoreWorker::BatchJob {
    quint64 id = 0;
    QString title;
    Space space = Space::Nb201;
    std::vector<nb201::Cell> representatives;
    QHash<int, std::vector<nb201::Cell>> members; // by canonical index
    std::vector<nb101::Spec> specRepresentatives;
    QHash<QString, std::vector<nb101::Spec>> specMembers; // by specKey()
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
    if (version == m_state->configVersion && (m_state->live || m_state->live101))
        return {};

    // Drop the old state first: it may hold device memory the new one needs.
    m_state = std::make_unique<State>();
    m_state->configVersion = version;
    m_state->config = config;
    const bool cuda = config.options.device == Device::Cuda;
    try {
        Q_EMIT activityChanged(tr("Loading input %1").arg(QString::fromStdString(config.input.toString())));
        m_state->input = InputBatch::load(config.input);
        setCpuThreads(config.options.threads);
        ScoreOptions options = config.options;
        options.keepOutputs = true;
        if (config.space == Space::Nb101)
            m_state->live101 = makeNb101Evaluator(*m_state->input, options);
        else
            m_state->live = makeNb201Evaluator(*m_state->input, options);
    } catch (const std::exception& error) {
        m_state->live.reset();
        m_state->live101.reset();
        Q_EMIT activityChanged({});
        return QString::fromStdString(error.what());
    }
    m_state->device = QString::fromStdString(deviceDescription(cuda));
    Q_EMIT deviceChanged(m_state->device);

#ifdef EPSINAS_HAVE_STORE
    m_state->runKey = RunKey { spaceKey(config.space).toStdString(), m_state->input->fingerprint(),
        toString(config.options.weights), toString(config.options.precision) };
    if (!config.storePath.isEmpty()) {
        try {
            m_state->store = ResultStore::open(config.storePath.toStdString());
        } catch (const std::exception& error) {
            Q_EMIT warning(tr("Scores will not be kept: %1").arg(QString::fromStdString(error.what())));
        }
    }
#endif
    return {};
}

void ScoreWorker::storeResults(const std::vector<std::string>& cells, const std::vector<CellScore>& scores)
{
#ifdef EPSINAS_HAVE_STORE
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
#else
    Q_UNUSED(cells);
    Q_UNUSED(scores);
#endif
}

void ScoreWorker::serveLive()
{
    m_mailbox->wakePending = false;
    quint64 generation = 0;
    Space space = Space::Nb201;
    nb201::Cell cell;
    nb101::Spec spec;
    {
        QMutexLocker lock(&m_mailbox->mutex);
        generation = m_mailbox->requestGeneration;
        space = m_mailbox->requestSpace;
        cell = m_mailbox->requestCell;
        spec = m_mailbox->requestSpec;
    }
    // Served already (e.g. a wake-up that raced with the previous one), or overtaken by a newer edit.
    if (generation == 0 || generation == m_lastServed || generation != m_mailbox->liveGeneration)
        return;
    m_lastServed = generation;

    if (const QString error = ensureReady(); !error.isEmpty()) {
        Q_EMIT scoringFailed(generation, error);
        return;
    }
    if (space != m_state->config.space) {
        Q_EMIT scoringFailed(generation,
            tr("A %1 cell cannot be scored while the settings are for %2")
                .arg(spaceName(space), spaceName(m_state->config.space)));
        return;
    }
    const bool nb101 = space == Space::Nb101;
    Q_EMIT activityChanged(tr("Scoring %1").arg(nb101 ? archText(spec) : archText(cell)));
    RunControl control;
    control.isCancelled = [this, generation] { return m_mailbox->abort || generation != m_mailbox->liveGeneration; };
    QElapsedTimer clock;
    clock.start();
    try {
        std::vector<CellScore> scores
            = nb101 ? m_state->live101->score({ spec }, control) : m_state->live->score({ cell }, control);
        storeResults({ nb101 ? spec.pruned().toString() : cell.canonical().toString() }, scores);
        Q_EMIT scoreReady(ScoreResult {
            generation, cell, std::move(scores.front()), clock.nsecsElapsed() / 1e6, m_state->device, space, spec });
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

void ScoreWorker::startBatch(
    quint64 id, const QString& title, const std::vector<nb201::Cell>& cells, bool includeStored)
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
    auto job = std::make_unique<BatchJob>();
    job->id = id;
    job->title = title;
    std::vector<bool> wanted(nb201::kCellCount, false);
    for (const nb201::Cell& cell : cells) {
        if (wanted[cell.index()])
            continue;
        wanted[cell.index()] = true;
        ++job->total;
        auto& group = job->members[cell.canonicalIndex()];
        if (group.empty())
            job->representatives.push_back(cell);
        group.push_back(cell);
    }

#ifdef EPSINAS_HAVE_STORE
    if (m_state->store) {
        Q_EMIT activityChanged(tr("Reading stored scores"));
        std::unordered_map<std::string, StoredScore> stored;
        try {
            for (StoredScore& row : m_state->store->all(m_state->runKey))
                stored.emplace(row.cell, std::move(row));
        } catch (const std::exception& error) {
            Q_EMIT warning(tr("Stored scores could not be read: %1").arg(QString::fromStdString(error.what())));
        }
        ScoredCells found;
        for (const nb201::Cell& cell : nb201::allCells()) {
            if (!includeStored && !wanted[cell.index()])
                continue;
            const auto hit = stored.find(cell.canonical().toString());
            if (hit == stored.end())
                continue;
            const StoredScore& row = hit->second;
            found.push_back(ScoredCell {
                cell, row.score, row.mae, row.mean, QString::fromStdString(row.nanReason), Space::Nb201, {} });
            if (wanted[cell.index()]) {
                ++job->done;
                job->members.remove(cell.canonicalIndex());
            }
            if (found.size() >= kStoredSlice) {
                Q_EMIT batchChunkReady(id, found);
                found.clear();
            }
        }
        if (!found.isEmpty())
            Q_EMIT batchChunkReady(id, found);
        job->representatives.erase(
            std::remove_if(job->representatives.begin(), job->representatives.end(),
                [&](const nb201::Cell& cell) { return !job->members.contains(cell.canonicalIndex()); }),
            job->representatives.end());
    }
#else
    Q_UNUSED(includeStored);
#endif

    launchBatch(std::move(job));
}

void ScoreWorker::startNb101Batch(
    quint64 id, const QString& title, const std::vector<nb101::Spec>& specs, bool includeStored)
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
    if (m_state->config.space != Space::Nb101) {
        Q_EMIT batchFailed(
            id, tr("NB101 cells cannot be scored while the settings are for %1").arg(spaceName(m_state->config.space)));
        return;
    }
    auto job = std::make_unique<BatchJob>();
    job->id = id;
    job->title = title;
    job->space = Space::Nb101;
    QSet<QString> wanted;
    for (const nb101::Spec& spec : specs) {
        // An invalid spec has no score; the editor never sends one, and a batch skips it rather than failing.
        if (!spec.isValid())
            continue;
        const QString key = QString::fromStdString(spec.toString());
        if (wanted.contains(key))
            continue;
        wanted.insert(key);
        ++job->total;
        auto& group = job->specMembers[specKey(spec)];
        if (group.empty())
            job->specRepresentatives.push_back(spec);
        group.push_back(spec);
    }

#ifdef EPSINAS_HAVE_STORE
    if (m_state->store) {
        Q_EMIT activityChanged(tr("Reading stored scores"));
        ScoredCells found;
        try {
            for (const StoredScore& row : m_state->store->all(m_state->runKey)) {
                const QString key = QString::fromStdString(row.cell);
                const auto members = job->specMembers.constFind(key);
                const bool isWanted = members != job->specMembers.constEnd();
                if (!isWanted && !includeStored)
                    continue;
                CellScore score;
                score.score = row.score;
                score.mae = row.mae;
                score.mean = row.mean;
                score.nanReason = row.nanReason;
                if (isWanted) {
                    for (const nb101::Spec& spec : *members)
                        found.push_back(ScoredCell::from(spec, score));
                    job->done += int(members->size());
                    job->specMembers.remove(key);
                } else {
                    found.push_back(ScoredCell::from(nb101::Spec::parse(row.cell), score));
                }
            }
        } catch (const std::exception& error) {
            Q_EMIT warning(tr("Stored scores could not be read: %1").arg(QString::fromStdString(error.what())));
        }
        for (qsizetype first = 0; first < found.size(); first += kStoredSlice)
            Q_EMIT batchChunkReady(id, found.mid(first, kStoredSlice));
        job->specRepresentatives.erase(
            std::remove_if(job->specRepresentatives.begin(), job->specRepresentatives.end(),
                [&](const nb101::Spec& spec) { return !job->specMembers.contains(specKey(spec)); }),
            job->specRepresentatives.end());
    }
#else
    Q_UNUSED(includeStored);
#endif
    launchBatch(std::move(job));
}

void ScoreWorker::launchBatch(std::unique_ptr<BatchJob> job)
{
    const quint64 id = job->id;
    const bool nb101 = job->space == Space::Nb101;
    if (nb101 ? job->specRepresentatives.empty() : job->representatives.empty()) {
        Q_EMIT batchProgress(id, 1000, tr("%1: all %L2 cells were stored").arg(job->title).arg(job->total));
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, false);
        return;
    }
    ScoreOptions options = m_state->config.options;
    options.keepOutputs = false;
    try {
        if (nb101 && !m_state->batch101)
            m_state->batch101 = makeNb101Evaluator(*m_state->input, options);
        else if (!nb101 && !m_state->batch)
            m_state->batch = makeNb201Evaluator(*m_state->input, options);
    } catch (const std::exception& error) {
        Q_EMIT batchFailed(id, QString::fromStdString(error.what()));
        return;
    }
    // Start small to measure the speed; runBatchStep grows chunks towards kTargetChunkSeconds.
    job->chunk = m_state->config.options.device == Device::Cuda ? (nb101 ? 16 : 256) : (nb101 ? 1 : 4);
    Q_EMIT batchProgress(id, job->total ? 1000 * job->done / job->total : 0,
        tr("%1: %L2 of %L3 cells").arg(job->title).arg(job->done).arg(job->total));
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
    const bool nb101 = job.space == Space::Nb101;
    if (const QString error = ensureReady();
        !error.isEmpty() || !(nb101 ? bool(m_state->batch101) : bool(m_state->batch))) {
        m_job.reset();
        Q_EMIT batchFailed(id, error.isEmpty() ? tr("The scoring settings changed") : error);
        return;
    }

    const std::size_t count = nb101 ? job.specRepresentatives.size() : job.representatives.size();
    const std::size_t end = std::min(count, job.next + std::size_t(job.chunk));
    std::vector<nb201::Cell> chunk;
    std::vector<nb101::Spec> specChunk;
    if (nb101)
        specChunk.assign(job.specRepresentatives.begin() + job.next, job.specRepresentatives.begin() + end);
    else
        chunk.assign(job.representatives.begin() + job.next, job.representatives.begin() + end);
    Q_EMIT activityChanged(tr("%1 on %2").arg(job.title, m_state->device));
    RunControl control;
    control.isCancelled = [this, id] { return batchCancelled(id); };
    QElapsedTimer clock;
    clock.start();
    std::vector<CellScore> scores;
    try {
        scores = nb101 ? m_state->batch101->score(specChunk, control) : m_state->batch->score(chunk, control);
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
    for (std::size_t i = 0; i < chunk.size(); ++i) {
        keys.push_back(chunk[i].canonical().toString());
        for (const nb201::Cell& member : job.members.value(chunk[i].canonicalIndex()))
            delivered.push_back(ScoredCell::from(member, scores[i]));
    }
    for (std::size_t i = 0; i < specChunk.size(); ++i) {
        const QString key = specKey(specChunk[i]);
        keys.push_back(key.toStdString());
        for (const nb101::Spec& member : job.specMembers.value(key))
            delivered.push_back(ScoredCell::from(member, scores[i]));
    }
    storeResults(keys, scores);
    job.done += delivered.size();
    Q_EMIT batchChunkReady(id, delivered);

    const std::size_t left = count - job.next;
    if (left == 0) {
        Q_EMIT batchProgress(id, 1000, tr("%1: %L2 cells scored").arg(job.title).arg(job.total));
        m_job.reset();
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, false);
        return;
    }
    Q_EMIT batchProgress(id, int(1000LL * job.done / std::max(1, job.total)),
        tr("%1: %L2 of %L3 cells, about %4 left")
            .arg(job.title)
            .arg(job.done)
            .arg(job.total)
            .arg(durationText(perCell * double(left))));
    QMetaObject::invokeMethod(this, &ScoreWorker::runBatchStep, Qt::QueuedConnection);
}

} // namespace epsinas::gui
