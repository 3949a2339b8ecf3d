// SPDX-License-Identifier: MIT
#pragma once

#include "searchresult.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <memory>

namespace epsinas::gui {

class SearchWorker;
struct SearchMailbox;

/**
 * The GUI thread's handle on searches (random search and ageing evolution over a table's candidates). Nothing here
 * blocks: a request goes to a mailbox read by one search thread of its own, the newest request wins (an older one
 * stops after its current run), and results come back by queued signals, those of superseded searches dropped here.
 */
class SearchService : public QObject {
    Q_OBJECT
public:
    explicit SearchService(QObject* parent = nullptr);
    ~SearchService() override;

    /** Starts `request`, superseding any search that runs; returns its generation. */
    quint64 start(SearchRequest request);
    /** Stops the running search after its current run; emits searchCancelled when one ran. */
    void cancel();
    bool isRunning() const { return m_running; }
    quint64 currentGeneration() const { return m_generation; }

Q_SIGNALS:
    void progressChanged(const epsinas::gui::SearchProgress& progress);
    void searchFinished(const epsinas::gui::SearchOutcome& outcome);
    void searchFailed(const QString& message);
    void searchCancelled();

private:
    std::shared_ptr<SearchMailbox> m_mailbox;
    QThread m_thread;
    QPointer<SearchWorker> m_worker;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace epsinas::gui
