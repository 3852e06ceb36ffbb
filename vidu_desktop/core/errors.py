"""Typed errors from the contract's reason codes, and the one place that words them for users."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .redact import redact

# -- words in the user's language, without Qt here -------------------------------------------
# The ui installs Qt's translator (ui/i18n.install_translations sets QCoreApplication.translate);
# without one (headless runs, the core's tests) the English source words are used. Both names
# below are what pyside6-lupdate extracts into resources/*.ts, so core modules mark their words
# with them: translate("context", "literal") where the words are made, QT_TRANSLATE_NOOP for a
# table built at import time (translate the looked-up value later with translate()).

# (context, source text, disambiguation, n) -> the words: the shape of QCoreApplication.translate.
Translator = Callable[[str, str, str | None, int], str]


def _english(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return text.replace("%n", str(n)) if n >= 0 else text


_translator: Translator = _english


def set_translator(translator: Translator | None) -> None:
    """Where translate() looks words up from now on (None: English). Called by the ui only."""
    global _translator
    _translator = translator or _english


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the user's language; %n is replaced by `n` (plural forms) as Qt does. Safe from
    any thread (QCoreApplication.translate is thread-safe)."""
    return _translator(context, text, disambiguation, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Marks `text` for the translation files without translating it (yet): for tables."""
    del context
    return text



def _filled(template: str, fallback: str, values: Mapping[str, object]) -> str:
    """`template` with its {placeholders} filled; `fallback` if it has ones `values` lacks."""
    if not values:
        return template
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return fallback


class ViduError(Exception):
    """Base of every error the core raises on purpose."""

    #: Whether doing the same thing again later may work (reads only; never a blind re-submit).
    retryable = False


class ApiError(ViduError):
    """The server answered with an error status."""

    def __init__(self, status: int, reason: str = "", message: str = "") -> None:
        self.status = status
        self.reason = reason
        self.message = message
        super().__init__(f"HTTP {status} {reason}: {message}".strip(": "))


class AuthError(ApiError):
    """Missing or refused key, or an account that may not use this API."""


class BalanceError(ApiError):
    """The account's balance does not cover the job (BILLING_BALANCE_NOT_ENOUGH): a clear
    refusal, no task was made and nothing was charged. Top up (TOP_UP_URL), then Retry."""


#: Where a Novita account is topped up (its billing page).
TOP_UP_URL = "https://novita.ai/billing"


class InvalidRequestError(ApiError):
    """The server refused a parameter or the image."""


class ModerationError(ApiError):
    """The prompt or image was refused by content moderation."""


class RateLimitError(ApiError):
    retryable = True

    def __init__(self, status: int, reason: str = "", message: str = "",
                 retry_after: float | None = None) -> None:
        super().__init__(status, reason, message)
        self.retry_after = retry_after


class NotFoundError(ApiError):
    """Unknown endpoint or task id."""


class ServerError(ApiError):
    retryable = True


class LinkExpiredError(ApiError):
    """A signed video link was refused: ask the Task Result API for a fresh one."""


class NetworkError(ViduError):
    """No answer: no connection, a timeout or a dropped connection."""

    retryable = True


class TimedOut(NetworkError):
    """The whole answer did not arrive within the request's overall deadline (a slow or
    trickling server); asking again later may work."""


class ProtocolError(ViduError):
    """The server answered something that does not follow the contract."""

    retryable = True


class SubmissionUncertain(ViduError):
    """A submit was sent but no usable answer came back: a task may or may not exist (and cost).

    `cause` says in plain words what happened ("the connection dropped", "the answer could
    not be read", ...), in English; the exception's text is the technical detail for the log.
    For the user's language, `cause` may be a template marked with QT_TRANSLATE_NOOP("errors",
    ...) whose {placeholders} are filled from `cause_values` ("no answer came within {seconds} s").
    """

    def __init__(self, detail: str = "", cause: str = QT_TRANSLATE_NOOP("errors", "the connection dropped"),
                 cause_values: Mapping[str, object] | None = None) -> None:
        self.cause_template = cause
        self.cause_values = dict(cause_values or {})
        self.cause = _filled(cause, cause, self.cause_values)
        super().__init__(detail or self.cause)

    def cause_in_words(self) -> str:
        """The cause in the user's language (the English one when it has no translation)."""
        return _filled(translate("errors", self.cause_template), self.cause, self.cause_values)


class TaskFailedError(ViduError):
    """The server finished the task as failed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason or "the task failed")


class DownloadError(ViduError):
    """The video could not be fetched completely (the link stays valid for a retry)."""

    retryable = True


class DownloadStalled(DownloadError):
    """The download went slower than the minimum rate and was abandoned; the partial file is
    kept, so a later try resumes where it stopped (HTTP Range)."""


class DownloadTooLarge(DownloadError):
    """The server sent (or announced) more than a video can be: the download was stopped and
    the partial file removed. Trying again would fetch the same thing."""

    retryable = False


class Cancelled(ViduError):
    """The work was stopped on purpose (the app is closing); nothing is wrong."""


class StorageError(ViduError):
    """The video could not be written: full disk, missing or read-only folder."""


class IllegalTransition(ViduError):
    """A job was asked to move between two states the lifecycle does not allow (a bug)."""

    def __init__(self, old: object, new: object) -> None:
        self.old = old
        self.new = new
        super().__init__(f"a job may not move from {old} to {new}")


_REASON_TYPES: dict[str, type[ApiError]] = {
    "MISSING_API_KEY": AuthError,
    "INVALID_API_KEY": AuthError,
    "BILLING_AUTH_FAILED": AuthError,
    "API_NOT_ALLOWED": AuthError,
    "NEED_REAL_NAME_VERIFY": AuthError,
    "BILLING_BALANCE_NOT_ENOUGH": BalanceError,
    "INVALID_REQUEST_BODY": InvalidRequestError,
    "IMAGE_FILE_EXCEEDS_MAX_SIZE": InvalidRequestError,
    "INVALID_IMAGE_FORMAT": InvalidRequestError,
    "ILLEGAL_PROMPT": ModerationError,
    "ILLEGAL_IMAGE_CONTENT": ModerationError,
    "API_NOT_FOUND": NotFoundError,
    "TASK_NOT_FOUND": NotFoundError,
    "RATE_LIMIT_EXCEEDED": RateLimitError,
    "BILLING_FAILED": ServerError,
    "CREATE_TASK_FAILED": ServerError,
    "GET_RESULT_FAILED": ServerError,
    "TASK_FAILED": ServerError,
}


KNOWN_REASONS = frozenset(_REASON_TYPES)


def error_for(status: int, reason: str, message: str, retry_after: float | None = None) -> ApiError:
    """The typed error for an HTTP error answer; the reason code wins over the status."""
    cls = _REASON_TYPES.get(reason)
    if cls is None:
        if status == 429:
            cls = RateLimitError
        elif status in (401, 403):
            cls = AuthError
        elif status == 404:
            cls = NotFoundError
        elif status >= 500:
            cls = ServerError
        else:
            cls = InvalidRequestError
    if cls is RateLimitError:
        return RateLimitError(status, reason, message, retry_after)
    return cls(status, reason, message)


def _fill(template: str, **values: object) -> str:
    """`template` translated and filled in; a translation that lost or broke a placeholder
    falls back to the English words rather than failing to say anything."""
    try:
        return translate("errors", template).format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)


_SPECIFIC_WORDS = {
    "MISSING_API_KEY": QT_TRANSLATE_NOOP("errors", "No API key was sent. Add your Novita API key in Settings."),
    "INVALID_API_KEY": QT_TRANSLATE_NOOP("errors", "Novita did not accept the API key. Check it in Settings "
                                                   "(copy it again from novita.ai → Key Management)."),
    "NEED_REAL_NAME_VERIFY": QT_TRANSLATE_NOOP("errors", "Your Novita account needs identity verification before "
                                                         "it can use this API. Finish it on novita.ai, then press "
                                                         "Retry."),
    "API_NOT_ALLOWED": QT_TRANSLATE_NOOP("errors", "Your Novita account may not use this API. "
                                                   "Check your plan on novita.ai."),
    "IMAGE_FILE_EXCEEDS_MAX_SIZE": QT_TRANSLATE_NOOP("errors", "Novita refused the image as too large. "
                                                               "Use a smaller image."),
    "INVALID_IMAGE_FORMAT": QT_TRANSLATE_NOOP("errors", "Novita refused the image format. "
                                                        "Use a JPEG, PNG or WebP image."),
    "ILLEGAL_PROMPT": QT_TRANSLATE_NOOP("errors", "Novita's content check refused the prompt. "
                                                  "Reword it and try again."),
    "ILLEGAL_IMAGE_CONTENT": QT_TRANSLATE_NOOP("errors", "Novita's content check refused the image. "
                                                         "Try another image."),
    "TASK_NOT_FOUND": QT_TRANSLATE_NOOP("errors", "Novita does not know this job (unknown task id). "
                                                  "It may belong to another account or have expired."),
}


def link_for(error: BaseException) -> str | None:
    """A web page that helps with `error` (the top-up page for a low balance), or None."""
    return TOP_UP_URL if isinstance(error, BalanceError) else None


def describe(error: BaseException) -> str:
    """Plain words a user can act on, for any error, in the user's language (see translate).
    The one place that does this; the words never carry an API key, whatever a server put
    into its message."""
    return redact(_describe(error))


def _describe(error: BaseException) -> str:
    if isinstance(error, ApiError) and error.reason in _SPECIFIC_WORDS:
        return translate("errors", _SPECIFIC_WORDS[error.reason])
    detail = error.message if isinstance(error, ApiError) else ""
    match error:
        case AuthError():
            return translate("errors", "Novita refused the API key or the account. Check the key in Settings.")
        case BalanceError():
            return _fill(QT_TRANSLATE_NOOP(
                "errors", "Your Novita balance is too low for this job, so it was not started and nothing was "
                          "charged — top up at novita.ai ({url}), then press Retry."), url=TOP_UP_URL)
        case InvalidRequestError():
            if detail:
                return _fill(QT_TRANSLATE_NOOP(
                    "errors", "Novita refused a setting ({detail}). Change it and try again."), detail=detail)
            return translate("errors", "Novita refused a setting. Change it and try again.")
        case ModerationError():
            return translate("errors", "Novita's content check refused this job. Try another prompt or image.")
        case RateLimitError():
            seconds = error.retry_after
            if seconds and 0 < seconds < 1e6:
                return _fill(QT_TRANSLATE_NOOP(
                    "errors", "Novita is limiting requests. Wait about {seconds} s, then try again."),
                    seconds=f"{seconds:.0f}")
            return translate("errors", "Novita is limiting requests. Wait a moment, then try again.")
        case NotFoundError():
            if detail:
                return _fill(QT_TRANSLATE_NOOP("errors", "Novita could not find what was asked for ({detail})."),
                             detail=detail)
            return translate("errors", "Novita could not find what was asked for.")
        case LinkExpiredError():
            return translate("errors", "The video link expired. Press Retry to fetch a fresh one.")
        case ServerError():
            if detail:
                return _fill(QT_TRANSLATE_NOOP(
                    "errors", "Novita had a problem on its side ({detail}). Try again in a few minutes."),
                    detail=detail)
            return translate("errors", "Novita had a problem on its side. Try again in a few minutes.")
        case TimedOut():
            return translate("errors", "Novita did not answer in time (a slow or stuck connection). "
                                       "Try again in a few minutes.")
        case NetworkError():
            return translate("errors", "Could not reach Novita. Check your internet connection, then press Retry.")
        case ProtocolError():
            return translate("errors", "Novita answered something unexpected. Try again in a few minutes.")
        case SubmissionUncertain():
            return _fill(QT_TRANSLATE_NOOP(
                "errors", "The job was sent, but {cause}, so it may or may not have started (and been charged). "
                          "Check your Novita dashboard before retrying."), cause=error.cause_in_words())
        case TaskFailedError():
            if error.reason:
                return _fill(QT_TRANSLATE_NOOP("errors", "Novita could not make this video: {reason}."),
                             reason=error.reason)
            return translate("errors", "Novita could not make this video: no reason given.")
        case DownloadStalled():
            return _fill(QT_TRANSLATE_NOOP(
                "errors", "The download was stopped because it was too slow ({detail}). "
                          "What arrived is kept: Retry resumes from there."), detail=error)
        case DownloadTooLarge():
            return _fill(QT_TRANSLATE_NOOP(
                "errors", "The download was stopped: {detail}. A video from Novita is never that big; "
                          "try again later, and tell Novita support if it happens again."), detail=error)
        case DownloadError():
            return translate("errors", "The video could not be downloaded completely. Press Retry.")
        case Cancelled():
            return translate("errors", "Stopped because the app was closing.")
        case StorageError():
            return _fill(QT_TRANSLATE_NOOP(
                "errors", "The video could not be saved: {detail}. Free some space or choose another "
                          "library folder in Settings, then press Retry."), detail=error)
        case OSError():
            return _fill(QT_TRANSLATE_NOOP("errors", "A file could not be read or written: {detail}."),
                         detail=error.strerror or error)
    return translate("errors", "Something went wrong. The details are in the log (Help → Open log folder).")
