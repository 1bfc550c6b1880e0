"""The social network: follows, blocks, mutes, posts, likes, bookmarks, notifications, messages.

Read ``docs/social.md`` first: it holds the visibility rules, the counter design and how the web
and API layers call the selectors and services of this app.
"""
