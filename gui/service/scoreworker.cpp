// SPDX-License-Identifier: MIT
#include "scoreworker.h"

#include "run/batch.h"
#include "score/runtime.h"
#include "store/resultstore.h"

#include <QElapsedTimer>
#include <QMutexLocker>
#include <QSet>

#include <algorithm>
#include <optional>

namespace epsinas::gui {

namespace {
// Wall time one batch chunk should take: long enough to amortise the pass, short enough that a live edit
// queued behind it is served without a noticeable wait.
constexpr double kTargetChunkSeconds = 0.3;
// Largest chunk a batch step scores at once.
constexpr int kMaxChunk = 4096;
// The first chunk, which measures the speed: one architecture on the CPU; a small batched pass on a GPU.
constexpr int kFirstCpuChunk = 1;
constexpr int kFirstCudaChunk = 16;
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

/** "1 cell", "2 cells": `count` architectures of `space`. */
QString countOf(int count, const SearchSpace& space)
{
    return ScoreWorker::tr("%L1 %2").arg(count).arg(QString::fromStdString(space.unitName(count != 1)));
}

/** The short text the status bar names an architecture by: its id when it has one, else its text. */
QString shortName(const Arch& arch, const QString& id)
{
    if (!id.isEmpty())
        return ScoreWorker::tr("%1 %2").arg(QString::fromStdString(arch.space().unitName(false)), id);
    return arch.space().labelsRowsById()
        ? ScoreWorker::tr("the edited %1").arg(QString::fromStdString(arch.space().unitName(false)))
        : QString::fromStdString(arch.space().format(arch));
}
} // namespace

/** Everything that lives on the scoring thread and is rebuilt when the config changes. */
struct ScoreWorker::State {
    quint64 configVersion = 0;
    ScoringConfig config;
    std::optional<ScoringInput> input;
    /** The evaluator of live requests (it keeps raw outputs) and, made when first needed, of batches. */
    std::unique_ptr<Evaluator> live;
    std::unique_ptr<Evaluator> batch;
    QString device;
    std::optional<ResultStore> store;
    RunKey runKey;
};

/** A running batch: the rows asked for, and the pipeline over their forms. */
struct ScoreWorker::BatchJob {
    quint64 id = 0;
    QString title;
    const SearchSpace* space = nullptr;
    std::vector<NamedArch> rows;
    std::optional<run::Batch> batch;
    int done = 0;
    /** Rows answered by the store, scored by an earlier run (e.g. one quit mid-batch). */
    int stored = 0;
    int chunk = 1;
    double scoringSeconds = 0;
    std::size_t scoredForms = 0;

    int total() const { return int(rows.size()); }
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
    try {
        const bool tokens = config.space->inputKind() == InputKind::Tokens;
        Q_EMIT activityChanged(
            tr("Loading input %1")
                .arg(QString::fromStdString(tokens ? config.tokenSpec().toString() : config.input.toString())));
        m_state->input = config.loadInput();
        setCpuThreads(config.options.threads);
        makeLiveEvaluator();
    } catch (const std::exception& error) {
        m_state->live.reset();
        if (!m_state->input || config.options.device != Device::Cuda) {
            Q_EMIT activityChanged({});
            return QString::fromStdString(error.what());
        }
        if (const QString cpuError = fallBackToCpu(error); !cpuError.isEmpty())
            return cpuError;
    }
    m_state->device = QString::fromStdString(deviceDescription(m_state->config.options.device == Device::Cuda));
    Q_EMIT deviceChanged(m_state->device);

    m_state->runKey = run::runKey(*config.space, *m_state->input, config.options);
    if (!config.storePath.isEmpty()) {
        try {
            m_state->store = ResultStore::open(config.storePath.toStdString());
        } catch (const std::exception& error) {
            Q_EMIT warning(tr("Scores will not be kept: %1").arg(QString::fromStdString(error.what())));
        }
    }
    return {};
}

void ScoreWorker::makeLiveEvaluator()
{
    ScoreOptions options = m_state->config.options;
    options.keepOutputs = true;
    m_state->live = m_state->config.space->makeEvaluator(*m_state->input, options);
}

QString ScoreWorker::fallBackToCpu(const std::exception& cudaError)
{
    // The CPU computes the same float32 scores, only slower: better than no score. The settings keep asking for
    // CUDA, so the next change of settings tries it again.
    m_state->live.reset();
    m_state->config.options.device = Device::Cpu;
    try {
        makeLiveEvaluator();
    } catch (const std::exception& error) {
        m_state->live.reset();
        Q_EMIT activityChanged({});
        return QString::fromStdString(error.what());
    }
    m_state->device = QString::fromStdString(deviceDescription(false));
    Q_EMIT deviceFellBack(tr("CUDA failed (%1); scoring on the CPU instead until the settings change")
                              .arg(QString::fromStdString(cudaError.what())));
    return {};
}

void ScoreWorker::dropStore(const std::exception& error)
{
    Q_EMIT warning(tr("Scores will not be kept: %1").arg(QString::fromStdString(error.what())));
    m_state->store.reset();
}

void ScoreWorker::serveLive()
{
    m_mailbox->wakePending = false;
    quint64 generation = 0;
    Arch request;
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
    const SearchSpace& space = *m_state->config.space;
    if (request.empty() || &request.space() != &space) {
        Q_EMIT scoringFailed(generation,
            tr("A %1 architecture cannot be scored while the settings are for %2")
                .arg(request.empty() ? tr("missing") : QString::fromStdString(request.space().name()),
                    QString::fromStdString(space.name())));
        return;
    }
    Q_EMIT activityChanged(tr("Scoring %1").arg(shortName(request, {})));
    RunControl control;
    control.isCancelled = [this, generation] { return m_mailbox->abort || generation != m_mailbox->liveGeneration; };
    QElapsedTimer clock;
    clock.start();
    try {
        std::vector<ArchScore> scores = m_state->live->score({ request }, control);
        if (m_state->store) {
            try {
                m_state->store->write(m_state->runKey, { run::toStored(space.functionKey(request), scores.front()) });
            } catch (const std::exception& error) {
                dropStore(error);
            }
        }
        ScoreResult result;
        result.generation = generation;
        result.arch = request;
        result.score = std::move(scores.front());
        result.milliseconds = clock.nsecsElapsed() / 1e6;
        result.device = m_state->device;
        Q_EMIT scoreReady(result);
        // The score goes out first: the trace repeats the pass layer by layer and the panel should not wait for it.
        if (m_mailbox->traceLive && generation == m_mailbox->liveGeneration) {
            Q_EMIT activityChanged(tr("Tracing the signal of %1").arg(shortName(request, {})));
            try {
                if (std::optional<SignalFlow> flow = m_state->live->signalFlow(request))
                    Q_EMIT signalFlowReady(generation, *flow);
            } catch (const std::exception& error) {
                // The score stands; only the explainer's curves are missing.
                Q_EMIT warning(tr("The signal flow could not be traced: %1").arg(QString::fromStdString(error.what())));
            }
        }
    } catch (const Cancelled&) {
        // A newer request replaced this one; it has its own wake-up queued.
    } catch (const std::exception& error) {
        if (m_state->config.options.device == Device::Cuda && fallBackToCpu(error).isEmpty()) {
            Q_EMIT deviceChanged(m_state->device);
            // Served again, on the CPU this time.
            m_lastServed = 0;
            serveLive();
            return;
        }
        Q_EMIT scoringFailed(generation, QString::fromStdString(error.what()));
    }
    Q_EMIT activityChanged({});
}

bool ScoreWorker::batchCancelled(quint64 id) const
{
    return m_mailbox->abort || id != m_mailbox->batchId;
}

void ScoreWorker::startBatch(quint64 id, const QString& title, const std::vector<NamedArch>& archs, bool includeStored)
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
    const SearchSpace& space = *m_state->config.space;
    auto job = std::make_unique<BatchJob>();
    job->id = id;
    job->title = title;
    job->space = &space;
    QSet<QString> wanted;
    for (const NamedArch& named : archs) {
        if (&named.arch.space() != &space) {
            Q_EMIT batchFailed(id,
                tr("%1 architectures cannot be scored while the settings are for %2")
                    .arg(QString::fromStdString(named.arch.space().name()), QString::fromStdString(space.name())));
            return;
        }
        const QString key = ScoredArch::rowKey(named.arch, QString::fromStdString(named.id));
        if (wanted.contains(key))
            continue;
        wanted.insert(key);
        job->rows.push_back(named);
    }
    std::vector<Arch> requested;
    requested.reserve(job->rows.size());
    for (const NamedArch& named : job->rows)
        requested.push_back(named.arch);
    job->batch.emplace(requested);
    deliverStored(*job, includeStored && !space.labelsRowsById());
    launchBatch(std::move(job));
}

ScoredArchs ScoreWorker::rowsOf(const BatchJob& job, const std::vector<std::size_t>& forms) const
{
    ScoredArchs rows;
    for (std::size_t form : forms) {
        const run::Batch::Form& scored = job.batch->forms()[form];
        for (std::size_t member : job.batch->members(form)) {
            const NamedArch& named = job.rows[member];
            rows.push_back(ScoredArch::from(named.arch, QString::fromStdString(named.id), scored.score));
        }
    }
    return rows;
}

void ScoreWorker::deliverStored(BatchJob& job, bool includeStored)
{
    if (!m_state->store)
        return;
    Q_EMIT activityChanged(tr("Reading stored scores"));
    ScoredArchs found;
    try {
        const std::vector<std::size_t> taken = job.batch->takeStored(*m_state->store, m_state->runKey);
        found = rowsOf(job, taken);
        job.done += found.size();
        job.stored = job.done;
        if (includeStored) {
            // Every other stored score, as the rows it stands for: the architectures of a form nobody asked for,
            // and the other members of a form that was asked for (e.g. the other NB201 cells of a canonical form).
            QSet<QString> asked;
            for (const NamedArch& named : job.rows)
                asked.insert(QString::fromStdString(job.space->identityKey(named.arch)));
            for (const StoredScore& stored : m_state->store->all(m_state->runKey)) {
                const ArchScore score = run::fromStored(stored);
                for (const Arch& arch : run::membersOfStoredForm(*job.space, stored.cell)) {
                    if (!asked.contains(QString::fromStdString(job.space->identityKey(arch))))
                        found.push_back(ScoredArch::from(arch, {}, score));
                }
            }
        }
    } catch (const std::exception& error) {
        Q_EMIT warning(tr("Stored scores could not be read: %1").arg(QString::fromStdString(error.what())));
    }
    for (qsizetype first = 0; first < found.size(); first += kStoredSlice)
        Q_EMIT batchChunkReady(job.id, found.mid(first, kStoredSlice));
}

void ScoreWorker::launchBatch(std::unique_ptr<BatchJob> job)
{
    const quint64 id = job->id;
    const QString unit = unitName(*job->space);
    if (job->batch->pending() == 0) {
        Q_EMIT batchProgress(id, 1000,
            tr("%1: all %L2 %3 were kept in the store from an earlier run")
                .arg(job->title)
                .arg(job->total())
                .arg(unit));
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, false);
        return;
    }
    ScoreOptions options = m_state->config.options;
    options.keepOutputs = false;
    try {
        if (!m_state->batch)
            m_state->batch = job->space->makeEvaluator(*m_state->input, options);
    } catch (const std::exception& error) {
        Q_EMIT batchFailed(id, QString::fromStdString(error.what()));
        return;
    }
    // Start small to measure the speed; runBatchStep grows chunks towards kTargetChunkSeconds.
    job->chunk = m_state->config.options.device == Device::Cuda ? kFirstCudaChunk : kFirstCpuChunk;
    Q_EMIT batchProgress(id, job->total() ? 1000 * job->done / job->total() : 0,
        tr("%1: %L2 of %L3 %4").arg(job->title).arg(job->done).arg(job->total()).arg(unit));
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

    Q_EMIT activityChanged(tr("%1 on %2").arg(job.title, m_state->device));
    RunControl control;
    control.isCancelled = [this, id] { return batchCancelled(id); };
    QElapsedTimer clock;
    clock.start();
    std::vector<std::size_t> scored;
    try {
        scored = job.batch->scoreNext(*m_state->batch, std::size_t(job.chunk), control);
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
    if (m_state->store) {
        try {
            job.batch->write(scored, *m_state->store, m_state->runKey);
        } catch (const std::exception& error) {
            dropStore(error);
        }
    }
    job.scoringSeconds += seconds;
    job.scoredForms += scored.size();
    const double perForm = job.scoringSeconds / double(std::max<std::size_t>(job.scoredForms, 1));
    job.chunk = std::clamp(int(kTargetChunkSeconds / std::max(perForm, 1e-6)), 1, kMaxChunk);

    const ScoredArchs delivered = rowsOf(job, scored);
    job.done += delivered.size();
    Q_EMIT batchChunkReady(id, delivered);

    const QString unit = unitName(*job.space);
    const std::size_t left = job.batch->pending();
    if (left == 0) {
        const QString finished = job.stored == 0 ? tr("%1: %L2 %3 scored").arg(job.title).arg(job.total()).arg(unit)
                                                 : tr("%1: %2 scored now, %L3 kept in the store from an earlier run")
                                                       .arg(job.title, countOf(job.total() - job.stored, *job.space))
                                                       .arg(job.stored);
        Q_EMIT batchProgress(id, 1000, finished);
        m_job.reset();
        Q_EMIT activityChanged({});
        Q_EMIT batchFinished(id, false);
        return;
    }
    Q_EMIT batchProgress(id, int(1000LL * job.done / std::max(1, job.total())),
        tr("%1: %L2 of %L3 %4, about %5 left")
            .arg(job.title)
            .arg(job.done)
            .arg(job.total())
            .arg(unit, durationText(perForm * double(left))));
    QMetaObject::invokeMethod(this, &ScoreWorker::runBatchStep, Qt::QueuedConnection);
}

} // namespace epsinas::gui
