package reminder

import (
	"fmt"
	"strings"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/notification"
)

// texts are the words of the digest email in one language.
type texts struct {
	subject    string // %s: the date
	greeting   string // %s: the user's name
	intro      string
	sections   map[notification.Reason]string
	line       string // %[1]s title, %[2]s organisation, %[3]s due date
	lateOne    string // one day overdue
	lateMany   string // %d days overdue
	open       string // %s: the link
	why        string
	noGreeting string // greeting without a name
}

// language is what each language of notification.Languages says.
var language = map[string]texts{
	"en": {
		subject:    "Pactum reminders for %s",
		greeting:   "Hello %s,",
		noGreeting: "Hello,",
		intro:      "Here is what needs attention today.",
		sections: map[notification.Reason]string{
			notification.ReasonOverdue:        "Overdue",
			notification.ReasonDueIn3Days:     "Due in 3 days",
			notification.ReasonDueIn14Days:    "Due in 14 days",
			notification.ReasonAwaitingReview: "Awaiting your review",
		},
		line:     "- %[1]s (%[2]s), due %[3]s",
		lateOne:  "1 day overdue",
		lateMany: "%d days overdue",
		open:     "Open Pactum to see them: %s",
		why:      "You receive this email at most once a day, and only when something needs attention. You can turn it off in Pactum, under Notifications.",
	},
	"fr": {
		subject:    "Rappels Pactum du %s",
		greeting:   "Bonjour %s,",
		noGreeting: "Bonjour,",
		intro:      "Voici ce qui demande votre attention aujourd'hui.",
		sections: map[notification.Reason]string{
			notification.ReasonOverdue:        "En retard",
			notification.ReasonDueIn3Days:     "Échéance dans 3 jours",
			notification.ReasonDueIn14Days:    "Échéance dans 14 jours",
			notification.ReasonAwaitingReview: "En attente de votre examen",
		},
		line:     "- %[1]s (%[2]s), échéance le %[3]s",
		lateOne:  "en retard d'un jour",
		lateMany: "en retard de %d jours",
		open:     "Ouvrez Pactum pour les consulter : %s",
		why:      "Vous recevez ce courriel au plus une fois par jour, et seulement lorsque quelque chose demande votre attention. Vous pouvez le désactiver dans Pactum, sous Notifications.",
	},
	"es": {
		subject:    "Recordatorios de Pactum del %s",
		greeting:   "Hola, %s:",
		noGreeting: "Hola:",
		intro:      "Esto es lo que requiere su atención hoy.",
		sections: map[notification.Reason]string{
			notification.ReasonOverdue:        "Vencido",
			notification.ReasonDueIn3Days:     "Vence en 3 días",
			notification.ReasonDueIn14Days:    "Vence en 14 días",
			notification.ReasonAwaitingReview: "Pendiente de su revisión",
		},
		line:     "- %[1]s (%[2]s), vence el %[3]s",
		lateOne:  "1 día de retraso",
		lateMany: "%d días de retraso",
		open:     "Abra Pactum para verlos: %s",
		why:      "Recibe este correo como máximo una vez al día, y solo cuando algo requiere su atención. Puede desactivarlo en Pactum, en Notificaciones.",
	},
	"pt": {
		subject:    "Lembretes do Pactum de %s",
		greeting:   "Olá, %s,",
		noGreeting: "Olá,",
		intro:      "Eis o que requer a sua atenção hoje.",
		sections: map[notification.Reason]string{
			notification.ReasonOverdue:        "Em atraso",
			notification.ReasonDueIn3Days:     "Prazo em 3 dias",
			notification.ReasonDueIn14Days:    "Prazo em 14 dias",
			notification.ReasonAwaitingReview: "A aguardar a sua revisão",
		},
		line:     "- %[1]s (%[2]s), prazo: %[3]s",
		lateOne:  "1 dia em atraso",
		lateMany: "%d dias em atraso",
		open:     "Abra o Pactum para os consultar: %s",
		why:      "Recebe este e-mail no máximo uma vez por dia, e apenas quando algo requer a sua atenção. Pode desativá-lo no Pactum, em Notificações.",
	},
}

// sectionOrder is the order of the email's sections.
var sectionOrder = []notification.Reason{
	notification.ReasonOverdue, notification.ReasonDueIn3Days, notification.ReasonDueIn14Days, notification.ReasonAwaitingReview,
}

// Compose writes the plain-text digest email in lang (one of
// notification.Languages; others fall back to English) for a user named
// name: the items grouped by reason, each with its title, organisation
// (orgs maps ids to display names) and due date, and a link to the
// notifications screen at publicURL.
func Compose(lang, name string, today calendar.Date, items []notification.Item, orgs map[string]string, publicURL string) (subject, body string) {
	tx, ok := language[lang]
	if !ok {
		tx = language[notification.DefaultLanguage]
	}
	var b strings.Builder
	if name = strings.TrimSpace(name); name != "" {
		fmt.Fprintf(&b, tx.greeting+"\n\n", name)
	} else {
		b.WriteString(tx.noGreeting + "\n\n")
	}
	b.WriteString(tx.intro + "\n")
	for _, reason := range sectionOrder {
		first := true
		for _, it := range items {
			if it.Reason != reason {
				continue
			}
			if first {
				fmt.Fprintf(&b, "\n%s\n", tx.sections[reason])
				first = false
			}
			org := orgs[it.OrganisationID]
			if org == "" {
				org = "?"
			}
			fmt.Fprintf(&b, tx.line, oneLine(it.Title), oneLine(org), it.DueDate)
			switch {
			case it.Reason == notification.ReasonOverdue && it.DaysOverdue == 1:
				b.WriteString(", " + tx.lateOne)
			case it.Reason == notification.ReasonOverdue && it.DaysOverdue > 1:
				fmt.Fprintf(&b, ", "+tx.lateMany, it.DaysOverdue)
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n"+tx.open+"\n\n%s\n", strings.TrimRight(publicURL, "/")+"/notifications", tx.why)
	return fmt.Sprintf(tx.subject, today.String()), b.String()
}

// oneLine keeps a title on its line of the email.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
