"""Signs of life: which message of the stream a service acknowledged as in progress."""

from redline.client import ack_target


def test_a_short_acknowledgement_subject_names_stream_durable_and_sequence():
    assert ack_target("$JS.ACK.REDLINE.draft.1.42.7.1733300000000000000.0") == ("REDLINE", "draft", 42)


def test_a_domain_acknowledgement_subject_names_them_too():
    subject = "$JS.ACK.hub.ACCHASH.REDLINE.validate.2.17.3.1733300000000000000.1.token"

    assert ack_target(subject) == ("REDLINE", "validate", 17)


def test_another_subject_names_nothing():
    assert ack_target("$JS.ACK.REDLINE.draft") is None
