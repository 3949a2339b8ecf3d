// SPDX-License-Identifier: MIT
#include "scoringservice.h"

#include "scoreworker.h"

#include <QMutexLocker>

namespace epsinas::gui {

namespace {
// Default time requests are collected before the newest is posted: coalesces bursts of edits without a
// perceptible delay.
constexpr int kCoalesceMilliseconds = 50;
} // namespace

ScoringService::ScoringService(QObject* parent)
    : QObject(parent)
    , m_mailbox(std::make_shared<ScoringMailbox>())
{
    qRegisterMetaType<ScoreResult>();
    qRegisterMetaType<ScoredArchs>();
    qRegisterMetaType<SignalFlow>();

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMilliseconds);
    connect(&m_coalesce, &QTimer::timeout, this, &ScoringService::postRequest);

    m_thread.setObjectName(QStringLiteral("epsinas scoring"));
    auto* worker = new ScoreWorker(m_mailbox);
    worker->moveToThread(&m_thread);
    m_worker = worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);

    connect(worker, &ScoreWorker::scoreReady, this, [this](const ScoreResult& result) {
        if (result.generation != m_generation) {
            ++m_dropped;
            return;
        }
        m_awaiting = false;
        Q_EMIT scoreReady(result);
    });
    connect(worker, &ScoreWorker::scoringFailed, this, [this](quint64 generation, const QString& message) {
        if (generation != m_generation) {
            ++m_dropped;
            return;
        }
        m_awaiting = false;
        Q_EMIT scoringFailed(generation, message);
    });
    connect(worker, &ScoreWorker::signalFlowReady, this, [this](quint64 generation, const SignalFlow& flow) {
        if (generation == m_generation)
            Q_EMIT signalFlowReady(generation, flow);
    });
    connect(worker, &ScoreWorker::batchChunkReady, this, [this](quint64 id, const ScoredArchs& rows) {
        if (id == m_batchId && m_batchRunning)
            Q_EMIT batchChunkReady(rows);
    });
    connect(worker, &ScoreWorker::batchProgress, this, [this](quint64 id, int permille, const QString& message) {
        if (id != m_batchId || !m_batchRunning)
            return;
        Q_EMIT progressChanged(permille);
        Q_EMIT progressMessage(message);
    });
    connect(worker, &ScoreWorker::batchFinished, this, [this](quint64 id, bool cancelled) {
        if (id != m_batchId || !m_batchRunning)
            return;
        m_batchRunning = false;
        Q_EMIT batchFinished(cancelled);
    });
    connect(worker, &ScoreWorker::batchFailed, this, [this](quint64 id, const QString& message) {
        if (id != m_batchId || !m_batchRunning)
            return;
        m_batchRunning = false;
        Q_EMIT batchFailed(message);
    });
    connect(worker, &ScoreWorker::activityChanged, this, &ScoringService::activityChanged);
    connect(worker, &ScoreWorker::warning, this, &ScoringService::warning);
    connect(worker, &ScoreWorker::deviceFellBack, this, &ScoringService::deviceFellBack);
    connect(worker, &ScoreWorker::deviceChanged, this, [this](const QString& device) {
        m_device = device;
        Q_EMIT deviceChanged(device);
    });
    m_thread.start();
}

void ScoringService::setTracing(bool on)
{
    m_mailbox->traceLive = on;
}

bool ScoringService::isTracing() const
{
    return m_mailbox->traceLive;
}

ScoringService::~ScoringService()
{
    // Stop whatever runs at its next chunk boundary, then let the thread's event loop end; the worker (and with it
    // the evaluators and device state) is deleted on its own thread as the loop finishes.
    m_mailbox->abort = true;
    ++m_mailbox->liveGeneration;
    ++m_mailbox->batchId;
    m_thread.quit();
    m_thread.wait();
}

bool ScoringService::setConfig(const ScoringConfig& config)
{
    if (config == m_config)
        return false;
    const bool scoresChange = !config.sameScoresAs(m_config);
    m_config = config;
    {
        QMutexLocker lock(&m_mailbox->mutex);
        m_mailbox->config = config;
        ++m_mailbox->configVersion;
    }
    if (scoresChange) {
        m_generation = ++m_mailbox->liveGeneration;
        m_awaiting = false;
        cancelBatch();
    }
    return scoresChange;
}

void ScoringService::setCoalescingInterval(int milliseconds)
{
    m_coalesce.setInterval(milliseconds);
}

void ScoringService::withdrawRequest()
{
    m_generation = ++m_mailbox->liveGeneration;
    m_awaiting = false;
    m_coalesce.stop();
}

quint64 ScoringService::requestScore(const Arch& arch)
{
    m_pendingRequest = arch;
    // A new generation right away: a result for the previous cell that arrives from now on is stale.
    m_generation = ++m_mailbox->liveGeneration;
    m_awaiting = true;
    if (m_coalesce.interval() == 0)
        postRequest();
    else if (!m_coalesce.isActive())
        m_coalesce.start();
    return m_generation;
}

void ScoringService::postRequest()
{
    {
        QMutexLocker lock(&m_mailbox->mutex);
        m_mailbox->requestGeneration = m_generation;
        m_mailbox->request = m_pendingRequest;
    }
    wakeWorker();
}

void ScoringService::wakeWorker()
{
    if (m_mailbox->wakePending.exchange(true))
        return;
    QMetaObject::invokeMethod(m_worker, &ScoreWorker::serveLive, Qt::QueuedConnection);
}

void ScoringService::startBatch(const QString& title, const std::vector<NamedArch>& archs, bool includeStored)
{
    std::vector<NamedArch> rows;
    rows.reserve(archs.size());
    for (const NamedArch& named : archs) {
        // An architecture with a problem has no score; editors never send one, and a batch skips it rather than
        // failing.
        if (named.arch.space().problem(named.arch).empty())
            rows.push_back(named);
    }
    const quint64 id = ++m_mailbox->batchId;
    m_batchId = id;
    m_batchRunning = true;
    Q_EMIT batchStarted(title);
    Q_EMIT progressChanged(0);
    Q_EMIT progressMessage(title);
    // Runs on the worker's thread; discarded with the worker if it is gone by then.
    ScoreWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, id, title, rows, includeStored] { worker->startBatch(id, title, rows, includeStored); },
        Qt::QueuedConnection);
}

void ScoringService::cancelBatch()
{
    ++m_mailbox->batchId;
    if (!m_batchRunning)
        return;
    m_batchRunning = false;
    Q_EMIT batchFinished(true);
}

} // namespace epsinas::gui
