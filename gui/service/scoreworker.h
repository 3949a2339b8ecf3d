// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"
#include "scoringconfig.h"

#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

namespace epsinas::gui {

/**
 * What the service (GUI thread) and its worker share. The request slot is a mailbox, not a queue: the service
 * overwrites it and the worker only ever takes the newest request. Fields under `mutex` are read and written
 * together; the atomics are polled by running jobs to notice that they have become stale.
 */
struct ScoringMailbox {
    QMutex mutex;
    quint64 requestGeneration = 0;
    /** The architecture to score. */
    Arch request;
    ScoringConfig config;
    quint64 configVersion = 0;
    /** Generation of the newest live request; a live job stamped otherwise is stale. */
    std::atomic<quint64> liveGeneration { 0 };
    /** The batch allowed to run; any other batch stops at its next chunk. */
    std::atomic<quint64> batchId { 0 };
    /** A wake-up is queued to the worker; keeps at most one in flight however fast requests arrive. */
    std::atomic<bool> wakePending { false };
    std::atomic<bool> abort { false };
    /** Live results are followed by their signal flow (the explainer is open); tracing costs about one more pass. */
    std::atomic<bool> traceLive { false };
};

/**
 * Scores on the one long-lived scoring thread: a thin adapter that runs core's pipeline (run::Batch) and turns what
 * it yields into queued signals. It creates the input batch, the evaluators (and with them the device context) and
 * the results store lazily on that thread and keeps them until the config changes. Batch jobs run one chunk per
 * event, so live requests queued meanwhile are served between chunks.
 */
class ScoreWorker : public QObject {
    Q_OBJECT
public:
    explicit ScoreWorker(std::shared_ptr<ScoringMailbox> mailbox);
    ~ScoreWorker() override;

    /** Scores the newest live request, if it is still current. */
    void serveLive();
    /**
     * Starts batch `id` over `archs` (of the config's space), one row per distinct ScoredArch::key(): stored results
     * first, then one form per function chunk by chunk. With includeStored, every other stored score of the run is
     * delivered too (unless the space names its rows by ids, which the store does not keep).
     */
    void startBatch(quint64 id, const QString& title, const std::vector<NamedArch>& archs, bool includeStored);

Q_SIGNALS:
    void scoreReady(const epsinas::gui::ScoreResult& result);
    void scoringFailed(quint64 generation, const QString& message);
    /** The signal flow of live request `generation`, sent after its scoreReady while traceLive is set. */
    void signalFlowReady(quint64 generation, const epsinas::SignalFlow& flow);
    void batchChunkReady(quint64 id, const epsinas::gui::ScoredArchs& rows);
    void batchProgress(quint64 id, int permille, const QString& message);
    void batchFinished(quint64 id, bool cancelled);
    void batchFailed(quint64 id, const QString& message);
    /** What the worker is doing now, for the status bar; empty when idle. */
    void activityChanged(const QString& activity);
    void deviceChanged(const QString& device);
    /** CUDA failed (setting up or scoring): the worker scores on the CPU until the config changes; says why. */
    void deviceFellBack(const QString& message);
    /** Something went wrong that does not stop scoring (e.g. the results store cannot be opened). */
    void warning(const QString& message);

private:
    struct State;
    struct BatchJob;

    /** Brings input, evaluator and store in line with the config; returns an error message or an empty string. */
    QString ensureReady();
    /** The state's live evaluator, for its config and input; throws what the space throws. */
    void makeLiveEvaluator();
    /** Makes the live evaluator again on the CPU after `cudaError`; returns an error message or an empty string. */
    QString fallBackToCpu(const std::exception& cudaError);
    /** Delivers the stored scores `job` asks for and, with includeStored, all the others. */
    void deliverStored(BatchJob& job, bool includeStored);
    /** Ends startBatch once the job knows what is left to score. */
    void launchBatch(std::unique_ptr<BatchJob> job);
    void runBatchStep();
    bool batchCancelled(quint64 id) const;
    /** The rows of `job` whose form is one of `forms`, with its score. */
    ScoredArchs rowsOf(const BatchJob& job, const std::vector<std::size_t>& forms) const;
    /** Drops the store after an error, saying that scores will not be kept. */
    void dropStore(const std::exception& error);

    std::shared_ptr<ScoringMailbox> m_mailbox;
    std::unique_ptr<State> m_state;
    std::unique_ptr<BatchJob> m_job;
    quint64 m_lastServed = 0;
};

} // namespace epsinas::gui
