"""Reading a guest's message: pure functions of the text, the hotel's local
today and the conversation's language, each in the module named for what it
reads (dates, people, rooms, contact details, language, intents), so each can be
tested from a table without a database."""
