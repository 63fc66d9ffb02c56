/// The built-in list of surnames used by ``SyntheticBankData``: 200 common family names of
/// varied origin, like the mix in the Kaggle bank file.
enum SyntheticSurnames {
    /// The names, each distinct.
    static let all: [String] = [
        "Smith", "Martin", "Scott", "Walker", "Brown", "Yeh", "Shih", "Genovese", "Wright", "Maclean",
        "Johnson", "Williams", "Jones", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson", "Anderson", "Taylor",
        "Thomas", "Moore", "Jackson", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
        "Young", "Allen", "King", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell",
        "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris",
        "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly",
        "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "James",
        "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Powell", "Jenkins", "Perry",
        "Russell", "Sullivan", "Fisher", "Henderson", "Hamilton", "Graham", "Wallace", "Woods", "Cole", "West",
        "Jordan", "Reynolds", "Marshall", "Owens", "Harrison", "Gibson", "Ellis", "Stevens", "Murray", "Ford",
        "Hargrave", "Onio", "Boni", "Chu", "Bartlett", "Obinna", "Bearce", "Andrews", "Kay", "Chin",
        "Goforth", "Romeo", "Muldrow", "Hao", "McDonald", "Dellucci", "Gerasimov", "Mosman", "Yen", "Okagbue",
        "Nnachetam", "Ndukaku", "Lombardo", "Ch'ien", "Ritchie", "Azikiwe", "Nwachinemere", "Kuo", "Lo", "Fanucci",
        "Tsao", "Hsueh", "Pai", "Lu", "Ts'ui", "Ku", "Nwankwo", "Udokamma", "Okwudilichukwu", "Onyekachi",
        "Bianchi", "Rossi", "Russo", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        "Bruno", "Gallo", "Conti", "DeLuca", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi", "Moretti",
        "Dubois", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Fontaine", "Chevalier",
        "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
        "Fernandez", "Lopez", "Martinez", "Sanchez", "Perez", "Gomez", "Ruiz", "Diaz", "Moreno", "Alvarez",
        "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Nikolaev", "Volkov", "Fedorov", "Morozov", "Pavlov",
    ]
}
