# Stand-in for the "lakers" EDHOC module that aiocoap 0.4.12 imports at start-up and Debian does not package: any
# name looked up is an empty class. EDHOC stays unusable; OSCORE, which is what the tests use, works.
def __getattr__(name): return type(name, (), {})
