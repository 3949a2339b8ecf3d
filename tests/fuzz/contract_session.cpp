// SPDX-License-Identifier: MIT
// The session file's contract, apart from contracts.cpp: it reads the explorer's Qt code (gui/session.h), which
// no other contract needs.
#include "contracts.h"
#include "fuzzsupport.h"

#include "session.h"

namespace epsinas::fuzz {

void checkSession(std::string_view bytes)
{
    gui::Session session;
    try {
        session = gui::fromJson(QByteArray(bytes.data(), qsizetype(bytes.size())));
    } catch (const gui::SessionError&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    try {
        const QByteArray json = gui::toJson(session);
        require(gui::fromJson(json) == session, "a session does not read back from its JSON: " + json.toStdString());
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
}

} // namespace epsinas::fuzz
