"""Small phrase banks for readable, deterministic transcripts in a few languages.

A transcript is a sequence of these sentences chosen by the request's random source. Languages
without a bank are written in English (the reported `language` stays the requested one).
"""

import random

PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "Thank you all for joining the call today.",
        "Let's start with a quick update on the project.",
        "The first results look promising so far.",
        "We still need to review the budget for next quarter.",
        "Could you share the slides after the meeting?",
        "The team finished the testing phase last week.",
        "I think we should schedule a follow-up on Friday.",
        "Customers have asked for a simpler setup process.",
        "The new release fixes most of the reported issues.",
        "Please send me your feedback by the end of the day.",
        "We agreed to keep the current timeline.",
        "That's a good point, let's write it down.",
        "The weather has been lovely this week.",
        "Our next step is to talk to the design team.",
    ),
    "de": (
        "Vielen Dank, dass ihr heute dabei seid.",
        "Fangen wir mit einem kurzen Überblick über das Projekt an.",
        "Die ersten Ergebnisse sehen vielversprechend aus.",
        "Wir müssen noch das Budget für das nächste Quartal prüfen.",
        "Kannst du die Folien nach dem Termin teilen?",
        "Das Team hat die Testphase letzte Woche abgeschlossen.",
        "Ich schlage vor, dass wir uns am Freitag noch einmal treffen.",
        "Die Kunden wünschen sich eine einfachere Einrichtung.",
        "Die neue Version behebt die meisten gemeldeten Fehler.",
        "Bitte schickt mir euer Feedback bis heute Abend.",
        "Wir halten am aktuellen Zeitplan fest.",
        "Das ist ein guter Punkt, das schreiben wir auf.",
    ),
    "fr": (
        "Merci à tous d'être présents aujourd'hui.",
        "Commençons par un petit point sur le projet.",
        "Les premiers résultats sont encourageants.",
        "Nous devons encore revoir le budget du prochain trimestre.",
        "Peux-tu partager les diapositives après la réunion ?",
        "L'équipe a terminé la phase de test la semaine dernière.",
        "Je propose de refaire un point vendredi.",
        "Les clients demandent une installation plus simple.",
        "La nouvelle version corrige la plupart des problèmes signalés.",
        "Merci de m'envoyer vos remarques avant ce soir.",
        "Nous gardons le calendrier actuel.",
        "C'est une bonne remarque, notons-la.",
    ),
    "es": (
        "Gracias a todos por venir hoy.",
        "Empecemos con un breve resumen del proyecto.",
        "Los primeros resultados son prometedores.",
        "Todavía tenemos que revisar el presupuesto del próximo trimestre.",
        "¿Puedes compartir las diapositivas después de la reunión?",
        "El equipo terminó la fase de pruebas la semana pasada.",
        "Propongo que volvamos a hablar el viernes.",
        "Los clientes piden una instalación más sencilla.",
        "La nueva versión corrige la mayoría de los errores.",
        "Por favor, enviadme vuestros comentarios antes de esta noche.",
        "Mantenemos el calendario actual.",
        "Es un buen punto, vamos a apuntarlo.",
    ),
}

# How verbose_json names languages (Whisper reports the English name in lower case).
LANGUAGE_NAMES = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "pl": "polish",
    "ru": "russian",
    "uk": "ukrainian",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
    "fi": "finnish",
    "tr": "turkish",
    "ar": "arabic",
    "he": "hebrew",
    "hi": "hindi",
    "ja": "japanese",
    "ko": "korean",
    "zh": "chinese",
    "cs": "czech",
    "el": "greek",
    "hu": "hungarian",
    "ro": "romanian",
}

# A few frequent words per bank language, to guess the language of a `prompt`.
_MARKERS = {
    "de": {"und", "der", "die", "das", "ist", "nicht", "wir", "ich", "mit", "ein"},
    "fr": {"le", "la", "les", "et", "est", "nous", "je", "une", "des", "pas"},
    "es": {"el", "los", "las", "y", "es", "que", "una", "por", "con", "no"},
    "en": {"the", "and", "is", "we", "you", "a", "of", "to", "with", "not"},
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def detect_language(prompt: str | None) -> str:
    """The bank language whose frequent words the prompt uses most; English by default."""
    words = {w.strip(".,;:!?¿¡'\"").lower() for w in (prompt or "").split()}
    scores = {code: len(words & markers) for code, markers in _MARKERS.items()}
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] > scores["en"] else "en"


def sentences(language: str, words: int, rng: random.Random) -> list[str]:
    """Sentences from the bank of `language` (English if it has none), about `words` long."""
    bank = PHRASES.get(language, PHRASES["en"])
    chosen: list[str] = []
    total = 0
    while total < words or not chosen:
        sentence = rng.choice(bank)
        if chosen and sentence == chosen[-1]:
            continue
        chosen.append(sentence)
        total += len(sentence.split())
    return chosen
