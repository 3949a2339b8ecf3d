// SPDX-License-Identifier: MIT
#include "searchservice.h"

#include "searchworker.h"

#include <QMutexLocker>

namespace epsinas::gui {

SearchService::SearchService(QObject* parent)
    : QObject(parent)
    , m_mailbox(std::make_shared<SearchMailbox>())
{
    qRegisterMetaType<SearchProgress>();
    qRegisterMetaType<SearchOutcome>();

    m_thread.setObjectName(QStringLiteral("epsinas search"));
    auto* worker = new SearchWorker(m_mailbox);
    worker->moveToThread(&m_thread);
    m_worker = worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    // The worker checks staleness after each run; this second check covers a result sent just before a new request.
    connect(worker, &SearchWorker::progressChanged, this, [this](const SearchProgress& progress) {
        if (m_running && progress.generation == m_generation)
            Q_EMIT progressChanged(progress);
    });
    connect(worker, &SearchWorker::searchFinished, this, [this](const SearchOutcome& outcome) {
        if (!m_running || outcome.generation != m_generation)
            return;
        m_running = false;
        Q_EMIT searchFinished(outcome);
    });
    connect(worker, &SearchWorker::searchFailed, this, [this](quint64 generation, const QString& message) {
        if (!m_running || generation != m_generation)
            return;
        m_running = false;
        Q_EMIT searchFailed(message);
    });
    m_thread.start();
}

SearchService::~SearchService()
{
    // A running search stops after its current run; then the thread's event loop ends and deletes the worker.
    ++m_mailbox->liveGeneration;
    m_thread.quit();
    m_thread.wait();
}

quint64 SearchService::start(SearchRequest request)
{
    m_generation = ++m_mailbox->liveGeneration;
    {
        QMutexLocker lock(&m_mailbox->mutex);
        m_mailbox->requestGeneration = m_generation;
        m_mailbox->request = std::make_unique<SearchRequest>(std::move(request));
    }
    m_running = true;
    if (!m_mailbox->wakePending.exchange(true))
        QMetaObject::invokeMethod(m_worker, &SearchWorker::serve, Qt::QueuedConnection);
    return m_generation;
}

void SearchService::cancel()
{
    m_generation = ++m_mailbox->liveGeneration;
    if (!m_running)
        return;
    m_running = false;
    Q_EMIT searchCancelled();
}

} // namespace epsinas::gui
