import { test, expect } from '../fixtures'
import { NotificationCentre } from '../pages/notification-centre'
import { ReviewWindowsPage } from '../pages/review-windows-page'

/**
 * Issue 7, done when: on the demo portfolio a reminder set one minute ahead appears as a notification
 * (in-app toast in browser mode) and in the notification centre at the right time, once; after a
 * restart nothing repeats; Review windows shows which reminders are pending, delivered, acknowledged.
 */
test.describe('expiry reminders', () => {
  test('a reminder one minute ahead fires once, on time, and nothing repeats after a restart', async ({ app }) => {
    test.setTimeout(240_000)
    const { page } = app
    const review = new ReviewWindowsPage(page)
    const centre = new NotificationCentre(page)
    await review.open()
    const { positionId, expiryMs } = await review.soonest()

    // A lead time that puts this position's reminder one minute from now (and the usual 1 h one).
    const dueMs = Date.now() + 60_000
    const lead = `PT${Math.floor((expiryMs - dueMs) / 1000)}S`
    const dueAt = expiryMs - Number(lead.slice(2, -1)) * 1000
    await review.setLeadTimes(positionId, `${lead}, PT1H`)
    const chip = review.reminder(positionId, lead)
    await expect(chip).toHaveAttribute('data-state', 'pending')
    await expect(review.reminder(positionId, 'PT1H')).toHaveAttribute('data-state', 'pending')
    const reminderId = (await chip.getAttribute('data-id'))!

    // Not early: nothing up to five seconds before its time.
    await page.waitForTimeout(Math.max(0, dueAt - 5_000 - Date.now()))
    await expect(centre.toastFor(positionId, lead)).toHaveCount(0)
    await expect(chip).toHaveAttribute('data-state', 'pending')

    // On time: the toast within a few seconds of the due time, saying what expires when.
    const toast = centre.toastFor(positionId, lead)
    await expect(toast).toBeVisible({ timeout: 20_000 })
    const lateMs = Date.now() - dueAt
    expect(lateMs).toBeGreaterThan(-1_000)
    expect(lateMs).toBeLessThan(8_000)
    await expect(toast).toContainText(/expires in \d+ d|expires in \d+ h|expires in \d+ min/)
    await expect(chip).toHaveAttribute('data-state', 'delivered')
    await expect(centre.count).toHaveText(/^\d+$/)

    // In the centre, once.
    await centre.open('all')
    await expect(centre.item(reminderId)).toHaveCount(1)
    await expect(centre.item(reminderId)).toHaveAttribute('data-state', 'delivered')
    await expect(centre.item(reminderId)).toContainText(lead === 'PT0S' ? 'at expiry' : 'before expiry')
    await centre.close()

    // Once: dismissed, it does not come back while running...
    await toast.getByTestId('toast-close').click()
    await expect(toast).toHaveCount(0)
    await page.waitForTimeout(5_000)
    await expect(centre.toastFor(positionId, lead)).toHaveCount(0)

    // ...nor after a restart: still delivered, still one entry, no toast.
    await app.restart()
    await review.open()
    await expect(review.reminder(positionId, lead)).toHaveAttribute('data-state', 'delivered')
    await page.waitForTimeout(3_000)
    await expect(centre.toastFor(positionId, lead)).toHaveCount(0)
    await centre.open('all')
    await expect(centre.item(reminderId)).toHaveCount(1)
    await centre.close()

    // Acknowledged from Review windows: pending, delivered and acknowledged all read there.
    await review.reminder(positionId, lead).getByTestId('reminder-acknowledge').click()
    await expect(review.reminder(positionId, lead)).toHaveAttribute('data-state', 'acknowledged')
    await expect(review.reminder(positionId, 'PT1H')).toHaveAttribute('data-state', 'pending')
    await centre.open('all')
    await expect(centre.item(reminderId)).toHaveAttribute('data-state', 'acknowledged')
    await centre.close()
    await app.restart()
    await review.open()
    await expect(review.reminder(positionId, lead)).toHaveAttribute('data-state', 'acknowledged')
    await expect(centre.toastFor(positionId, lead)).toHaveCount(0)

    expect(app.consoleErrors).toEqual([])
  })

  test('a lead time that is not an ISO 8601 duration is refused beside the field, and nothing changes', async ({ app }) => {
    const review = new ReviewWindowsPage(app.page)
    await review.open()
    const { positionId, row } = await review.soonest()
    const before = await row.locator('[data-testid="reminder"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-lead')))
    await row.getByTestId('edit-lead-times').click()
    await row.getByTestId('input-lead-times').fill('tomorrow')
    await row.getByTestId('save-lead-times').click()
    await expect(row.getByTestId('error-lead-times')).toContainText('ISO 8601 duration')
    await row.getByRole('button', { name: 'Cancel' }).click()
    await expect(review.row(positionId).locator('[data-testid="reminder"]')).toHaveCount(before.length)
    expect(app.consoleErrors).toEqual([])
  })
})
