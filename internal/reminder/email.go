package reminder

import (
	"strings"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/notification"
)

// sectionOrder is the order of the email's sections.
var sectionOrder = []notification.Reason{
	notification.ReasonOverdue, notification.ReasonDueIn3Days, notification.ReasonDueIn14Days, notification.ReasonAwaitingReview,
}

// Compose writes the plain-text digest email in lang (one of
// i18n.Languages; others fall back to English) for a user named name: the
// items grouped by reason, each with its title, organisation (orgs maps ids
// to display names) and due date, and a link to the notifications screen
// at publicURL.
func Compose(lang, name string, today calendar.Date, items []notification.Item, orgs map[string]string, publicURL string) (subject, body string) {
	l := i18n.For(lang)
	var b strings.Builder
	if name = strings.TrimSpace(name); name != "" {
		b.WriteString(l.T("reminder.greeting", "Name", name) + "\n\n")
	} else {
		b.WriteString(l.T("reminder.greetingNoName") + "\n\n")
	}
	b.WriteString(l.T("reminder.intro") + "\n")
	for _, reason := range sectionOrder {
		first := true
		for _, it := range items {
			if it.Reason != reason {
				continue
			}
			if first {
				b.WriteString("\n" + l.T("reminder.section."+string(reason)) + "\n")
				first = false
			}
			org := orgs[it.OrganisationID]
			if org == "" {
				org = "?"
			}
			b.WriteString(l.T("reminder.line", "Title", oneLine(it.Title), "Organisation", oneLine(org), "Due", it.DueDate))
			if it.Reason == notification.ReasonOverdue && it.DaysOverdue > 0 {
				b.WriteString(", " + l.N("reminder.daysOverdue", int64(it.DaysOverdue)))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n" + l.T("reminder.open", "Link", strings.TrimRight(publicURL, "/")+"/notifications") + "\n\n" + l.T("reminder.why") + "\n")
	return l.T("reminder.subject", "Date", today.String()), b.String()
}

// oneLine keeps a title on its line of the email.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
