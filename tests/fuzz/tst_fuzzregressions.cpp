// SPDX-License-Identifier: MIT
// The inputs the fuzzers found (tests/fuzz/regressions/<target>/) and the in-tree seeds (tests/fuzz/seeds/<target>/)
// through their parser's contract, in the normal build: a parser that breaks it again fails this test (the contract
// traps, naming what broke, before the test can report anything else).
#include "contracts.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <functional>

namespace {

using Contract = std::function<void(std::string_view)>;

const std::pair<const char*, Contract> kContracts[] = {
    { "nb201arch", epsinas::fuzz::checkNb201Arch },
    { "nb101spec", epsinas::fuzz::checkNb101Spec },
    { "nlprecipe", epsinas::fuzz::checkNlpRecipe },
    { "cifar", epsinas::fuzz::checkCifar },
    { "ptb", epsinas::fuzz::checkPtb },
    { "benchmarktable", epsinas::fuzz::checkBenchmarkTable },
    { "resultstore", epsinas::fuzz::checkResultStore },
    { "session", epsinas::fuzz::checkSession },
};

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void contract_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        for (const char* folder : { "regressions", "seeds" }) {
            for (const auto& [target, contract] : kContracts) {
                const QDir dir(
                    QStringLiteral(EPSINAS_FUZZ_DIR "/%1/%2").arg(QLatin1String(folder), QLatin1String(target)));
                for (const QString& name : dir.entryList(QDir::Files, QDir::Name)) {
                    QTest::addRow("%s/%s/%s", folder, target, qPrintable(name))
                        << QString::fromLatin1(target) << dir.filePath(name);
                }
            }
        }
    }

    void contract()
    {
        QFETCH(QString, target);
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray bytes = file.readAll();
        for (const auto& [name, contract] : kContracts) {
            if (target == QLatin1String(name))
                contract(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
