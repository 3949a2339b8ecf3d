// SPDX-License-Identifier: MIT
#include "store/shard.h"

#include <QtTest>

#include <stdexcept>
#include <string>
#include <vector>

using epsinas::Shard;

class TestShard : public QObject {
    Q_OBJECT

private slots:
    void parsesIndexAndCount_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::newRow("whole") << "0/1" << 0 << 1;
        QTest::newRow("last") << "3/4" << 3 << 4;
        QTest::newRow("two digits") << "12/100" << 12 << 100;
    }

    void parsesIndexAndCount()
    {
        QFETCH(QString, text);
        QFETCH(int, index);
        QFETCH(int, count);
        const Shard shard = Shard::parse(text.toStdString());
        QCOMPARE(shard.index, index);
        QCOMPARE(shard.count, count);
    }

    void rejectsMalformedText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("index above count") << "3/2"
                                           << "below the count";
        QTest::newRow("index equal to count") << "4/4"
                                              << "below the count";
        QTest::newRow("zero count") << "0/0"
                                    << "at least 1";
        QTest::newRow("letter index") << "x/4"
                                      << "index";
        QTest::newRow("negative index") << "-1/4"
                                        << "index";
        QTest::newRow("plus sign") << "+1/4"
                                   << "index";
        QTest::newRow("space") << " 1/4"
                               << "index";
        QTest::newRow("no slash") << "1"
                                  << "INDEX/COUNT";
        QTest::newRow("empty") << ""
                               << "INDEX/COUNT";
        QTest::newRow("no index") << "/4"
                                  << "index";
        QTest::newRow("no count") << "1/"
                                  << "count";
        QTest::newRow("two slashes") << "1/2/3"
                                     << "count";
        QTest::newRow("trailing junk") << "1/4x"
                                       << "count";
        QTest::newRow("overflow") << "1/99999999999"
                                  << "count";
    }

    void rejectsMalformedText()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        try {
            Shard::parse(text.toStdString());
            QFAIL("no exception");
        } catch (const std::invalid_argument& error) {
            const QString message = QString::fromStdString(error.what());
            QVERIFY2(message.contains(QLatin1Char('"') + text + QLatin1Char('"')), qPrintable(message));
            QVERIFY2(message.contains(reason), qPrintable(message));
        }
    }

    void shardsPartitionPositions()
    {
        constexpr std::size_t kPositions = 1000;
        for (int count : { 1, 2, 3, 7, 16 }) {
            std::vector<int> owners(kPositions, 0);
            std::vector<std::size_t> sizes(static_cast<std::size_t>(count), 0);
            for (int index = 0; index < count; ++index) {
                const Shard shard = Shard::parse(std::to_string(index) + "/" + std::to_string(count));
                for (std::size_t position = 0; position < kPositions; ++position) {
                    if (shard.contains(position)) {
                        ++owners[position];
                        ++sizes[static_cast<std::size_t>(index)];
                    }
                }
            }
            for (std::size_t position = 0; position < kPositions; ++position)
                QCOMPARE(owners[position], 1);
            // Round-robin slices are balanced: sizes differ by at most one.
            const auto [smallest, largest] = std::minmax_element(sizes.begin(), sizes.end());
            QVERIFY(*largest - *smallest <= 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestShard)
#include "tst_shard.moc"
