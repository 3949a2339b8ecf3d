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

    /** Asks for the score of `cell`; earlier requests without a result yet are superseded. Returns the generation. */
    quint64 requestScore(const nb201::Cell& cell);
    /** The same for a valid NB101 spec; the config's space must be NB101. */
    quint64 requestScore(const nb101::Spec& spec);
    /** The same for an NLP recipe; the config's space must be NLP. */
    quint64 requestScore(const nlp::Recipe& recipe);
    /**
     * Supersedes the live request without a new one, e.g. when the edited cell is invalid: no result or error for
     * an earlier request is reported any more.
     */
    void withdrawRequest();
    quint64 currentGeneration() const { return m_generation; }
    /** A live request has been made and neither its result nor its error has arrived. */
    bool isScoring() const { return m_awaiting; }

    /** Scores `cells` in the background (stored scores first); with includeStored, also every stored score. */
    void startBatch(const QString& title, const std::vector<nb201::Cell>& cells, bool includeStored = false);
    /** The same for NB101 specs (the config's space must be NB101); invalid specs are skipped. */
    void startBatch(const QString& title, const std::vector<nb101::Spec>& specs, bool includeStored = false);
    /** The same for NLP recipes, each row named by its id (the config's space must be NLP). */
    void startBatch(const QString& title, const std::vector<nlp::NamedRecipe>& recipes, bool includeStored = false);
    void cancelBatch();
    bool isBatchRunning() const { return m_batchRunning; }

    /** Live results and errors that arrived for superseded requests and were dropped (diagnostics, tests). */
    quint64 droppedCount() const { return m_dropped; }

    /** Where scoring runs, once the worker has set up its device; empty before. */
    QString device() const { return m_device; }

Q_SIGNALS:
    void scoreReady(const epsinas::gui::ScoreResult& result);
    void scoringFailed(quint64 generation, const QString& message);
    void batchChunkReady(const epsinas::gui::ScoredCells& cells);
    /** Progress of the running batch in 0..1000, and a sentence with counts and time left. */
    void progressChanged(int permille);
    void progressMessage(const QString& message);
    void batchStarted(const QString& title);
    void batchFinished(bool cancelled);
    void batchFailed(const QString& message);
    void activityChanged(const QString& activity);
    void deviceChanged(const QString& device);
    void warning(const QString& message);

private:
    void postRequest();
    /** Makes `request` the live request. */
    quint64 newRequest(const ScoredCell& request);
    /** Announces a batch of `rows` and posts it to the worker. */
    void postBatch(const QString& title, const ScoredCells& rows, bool includeStored);
    void wakeWorker();

    std::shared_ptr<ScoringMailbox> m_mailbox;
    QThread m_thread;
    QPointer<ScoreWorker> m_worker;
    QTimer m_coalesce;
    ScoringConfig m_config;
    ScoredCell m_pendingRequest;
    quint64 m_generation = 0;
    quint64 m_batchId = 0;
    quint64 m_dropped = 0;
    bool m_awaiting = false;
    bool m_batchRunning = false;
    QString m_device;
};

} // namespace epsinas::gui
