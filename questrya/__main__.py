from questrya.cli import main

main()
