// SPDX-License-Identifier: MIT
// That every public core header builds in a Qt translation unit without LibTorch is checked when this test is
// compiled (allpublicheaders.cpp, generated from core/include); what runs checks that the list it compiled is the
// whole of core/include, so that no header escapes the check.
#include <QtTest>

#include <set>
#include <string>
#include <vector>

namespace epsinas::test {
/** The headers the generated translation unit includes, relative to core/include. */
const std::vector<std::string>& includedPublicHeaders();
} // namespace epsinas::test

using epsinas::test::includedPublicHeaders;

class TestPublicHeaders : public QObject {
    Q_OBJECT

private slots:
    void includesEveryPublicHeader()
    {
        const QDir root(QStringLiteral(EPSINAS_CORE_INCLUDE_DIR));
        QVERIFY2(root.exists(), EPSINAS_CORE_INCLUDE_DIR);
        std::set<std::string> onDisk;
        QDirIterator headers(root.path(), { QStringLiteral("*.h") }, QDir::Files, QDirIterator::Subdirectories);
        while (headers.hasNext())
            onDisk.insert(root.relativeFilePath(headers.next()).toStdString());

        const std::set<std::string> included(includedPublicHeaders().begin(), includedPublicHeaders().end());
        QCOMPARE(included.size(), includedPublicHeaders().size());
        QCOMPARE(included, onDisk);
        // The seam a new space is written against is among them, so the glob looked in the right folder.
        for (const char* seam : { "space/searchspace.h", "space/arch.h", "space/evaluator.h", "space/registry.h",
                 "spaces/spaces.h", "run/batch.h" })
            QVERIFY2(included.count(seam) == 1, seam);
    }

    void namesLieUnderCoreInclude()
    {
        const QString root = QFileInfo(QStringLiteral(EPSINAS_CORE_INCLUDE_DIR)).canonicalFilePath();
        QVERIFY(!includedPublicHeaders().empty());
        for (const std::string& name : includedPublicHeaders()) {
            const QFileInfo header(root + QLatin1Char('/') + QString::fromStdString(name));
            QVERIFY2(header.isFile(), name.c_str());
            QVERIFY2(header.canonicalFilePath().startsWith(root + QLatin1Char('/')), name.c_str());
            QVERIFY2(name.find("detail/") == std::string::npos, name.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestPublicHeaders)
#include "tst_publicheaders.moc"
