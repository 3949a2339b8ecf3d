// SPDX-License-Identifier: MIT
#pragma once

#include "searchresult.h"

#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>

namespace epsinas::gui {

/**
 * What the search service (GUI thread) and its worker share: a mailbox holding the newest request only, and the
 * generation a running search compares itself with after each run to notice that it is stale.
 */
struct SearchMailbox {
    QMutex mutex;
    quint64 requestGeneration = 0;
    /** The newest request; taken (moved out) by the worker. */
    std::unique_ptr<SearchRequest> request;
    /** The generation allowed to run; a search stamped otherwise stops after its current run. */
    std::atomic<quint64> liveGeneration { 0 };
    /** A wake-up is queued to the worker; keeps at most one in flight however fast requests arrive. */
    std::atomic<bool> wakePending { false };
};

/**
 * Runs searches on the search thread (CPU only, apart from the scoring thread so scoring never waits for it): takes
 * the newest request, lists the candidates' neighbours for evolution, runs core's search with a progress callback
 * that cancels a stale search, and sends value-typed results back by queued signals.
 */
class SearchWorker : public QObject {
    Q_OBJECT
public:
    explicit SearchWorker(std::shared_ptr<SearchMailbox> mailbox);

    /** Runs the newest request, if it is still live. */
    void serve();

Q_SIGNALS:
    void progressChanged(const epsinas::gui::SearchProgress& progress);
    void searchFinished(const epsinas::gui::SearchOutcome& outcome);
    void searchFailed(quint64 generation, const QString& message);

private:
    SearchOutcome run(quint64 generation, const SearchRequest& request);

    std::shared_ptr<SearchMailbox> m_mailbox;
};

} // namespace epsinas::gui
