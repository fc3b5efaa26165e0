// When the user counts as away: no input to the app's window for the interval, or the window
// inactive that long; input to the active window, or the window becoming active, brings them back
// at once; input to a window in the background does not.
#include "models/IdleWatch.h"

#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>
#include <QWindow>

using namespace Redwire;

class TestIdleWatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idleWithoutInputAndBackOnInput();
    void inactiveWindowStaysIdleUntilActivated();
};

void TestIdleWatch::idleWithoutInputAndBackOnInput()
{
    QWindow window;
    window.resize(200, 100);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    IdleWatch idle(300);
    QSignalSpy changed(&idle, &IdleWatch::idleChanged);
    QVERIFY(!idle.isIdle());
    QTRY_VERIFY_WITH_TIMEOUT(idle.isIdle(), 10000);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toBool(), true);

    QTest::keyClick(&window, Qt::Key_A);
    QVERIFY(!idle.isIdle());
    QCOMPARE(changed.last().first().toBool(), false);
    QTRY_VERIFY_WITH_TIMEOUT(idle.isIdle(), 10000);
    QTest::mouseMove(&window, QPoint(20, 20));
    QTest::mouseMove(&window, QPoint(40, 30));
    QVERIFY(!idle.isIdle());
    QTRY_VERIFY_WITH_TIMEOUT(idle.isIdle(), 10000);
    QTest::mouseClick(&window, Qt::LeftButton, Qt::NoModifier, QPoint(50, 50));
    QVERIFY(!idle.isIdle());
}

void TestIdleWatch::inactiveWindowStaysIdleUntilActivated()
{
    QWindow window;
    window.resize(200, 100);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    IdleWatch idle(300);
    idle.setWindowActive(false);
    QTRY_VERIFY_WITH_TIMEOUT(idle.isIdle(), 10000);
    // Hovering over (or typing at) a window in the background is not being back.
    QTest::keyClick(&window, Qt::Key_A);
    QTest::mouseMove(&window, QPoint(30, 30));
    QVERIFY(idle.isIdle());
    idle.setWindowActive(true);
    QVERIFY(!idle.isIdle());
}

QTEST_MAIN(TestIdleWatch)
#include "tst_idlewatch.moc"
