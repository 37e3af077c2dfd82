from excel_balance.cli import main

if __name__ == "__main__":  # worker processes started by spawn (Windows) import this module too
    main()
