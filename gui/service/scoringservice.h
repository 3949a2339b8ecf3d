// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"
#include "scoringconfig.h"

#include <QObject>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

namespace epsinas::gui {

class ScoreWorker;
struct ScoringMailbox;

/**
 * The GUI thread's handle on scoring. Nothing here blocks: requests are coalesced, posted to one long-lived worker
 * thread, and answered by queued signals. Every live request gets a new generation; results and errors for older
 * generations are dropped here even if the worker already sent them, so receivers only ever see the current cell.
 */
class ScoringService : public QObject {
    Q_OBJECT
public:
    explicit ScoringService(QObject* parent = nullptr);
    ~ScoringService() override;

    const ScoringConfig& config() const { return m_config; }
    /**
     * Takes effect for the next request. A change that alters scores invalidates the current generation and cancels
     * a running batch; returns true then (the caller should rescore).
     */
    bool setConfig(const ScoringConfig& config);

    /** How long requests are collected before the newest is posted (default 50 ms; 0 posts each at once). */
    void setCoalescingInterval(int milliseconds);

    /**
     * Asks for the score of `arch` (of the config's space, and without a problem); earlier requests without a result
     * yet are superseded. Returns the generation.
     */
    quint64 requestScore(const Arch& arch);
    /**
     * Supersedes the live request without a new one, e.g. when the edited cell is invalid: no result or error for
     * an earlier request is reported any more.
     */
    void withdrawRequest();
    quint64 currentGeneration() const { return m_generation; }
    /** A live request has been made and neither its result nor its error has arrived. */
    bool isScoring() const { return m_awaiting; }

    /**
     * Scores `archs` (of the config's space) in the background, stored scores first, each row named by its id; an
     * architecture with a problem (SearchSpace::problem) is skipped. With includeStored, also every stored score.
     */
    void startBatch(const QString& title, const std::vector<NamedArch>& archs, bool includeStored = false);
    void cancelBatch();
    bool isBatchRunning() const { return m_batchRunning; }

    /**
     * With tracing on, each live result is followed by signalFlowReady for the same generation (spaces whose
     * evaluator traces its layers). Takes effect from the next request.
     */
    void setTracing(bool on);
    bool isTracing() const;

    /** Live results and errors that arrived for superseded requests and were dropped (diagnostics, tests). */
    quint64 droppedCount() const { return m_dropped; }

    /** Where scoring runs, once the worker has set up its device; empty before. */
    QString device() const { return m_device; }

Q_SIGNALS:
    void scoreReady(const epsinas::gui::ScoreResult& result);
    void scoringFailed(quint64 generation, const QString& message);
    /** The signal flow of the current request (only while tracing); arrives after its scoreReady. */
    void signalFlowReady(quint64 generation, const epsinas::SignalFlow& flow);
    void batchChunkReady(const epsinas::gui::ScoredArchs& rows);
    /** Progress of the running batch in 0..1000, and a sentence with counts and time left. */
    void progressChanged(int permille);
    void progressMessage(const QString& message);
    void batchStarted(const QString& title);
    void batchFinished(bool cancelled);
    void batchFailed(const QString& message);
    void activityChanged(const QString& activity);
    void deviceChanged(const QString& device);
    /** CUDA failed and scoring goes on on the CPU until the settings change: why, in one line. */
    void deviceFellBack(const QString& message);
    void warning(const QString& message);

private:
    void postRequest();
    void wakeWorker();

    std::shared_ptr<ScoringMailbox> m_mailbox;
    QThread m_thread;
    QPointer<ScoreWorker> m_worker;
    QTimer m_coalesce;
    ScoringConfig m_config;
    Arch m_pendingRequest;
    quint64 m_generation = 0;
    quint64 m_batchId = 0;
    quint64 m_dropped = 0;
    bool m_awaiting = false;
    bool m_batchRunning = false;
    QString m_device;
};

} // namespace epsinas::gui
