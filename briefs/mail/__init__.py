"""Mail: built PDFs and their recipients in, messages out (an outbox or an SMTP server).

Takes the built PDFs, `stakeholders.csv`, a message template and `[smtp]` settings; gives one
message per recipient and a send log that makes a second mailing impossible.
"""
