import TillCore
